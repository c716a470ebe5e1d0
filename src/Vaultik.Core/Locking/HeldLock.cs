using System.Diagnostics;
using Vaultik.Core.Layout;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Locking;

/// <summary>
/// A lock this process holds. Every lifetime/3 it writes the next lease; when no refresh has succeeded for a
/// whole lifetime (counted on this machine's monotonic clock from the moment the last good write was sent, so
/// it always runs out before any other run can see the lease lapse), <see cref="Lost"/> is cancelled and
/// <see cref="EnsureHeld"/> throws: the holder must stop. Disposing releases it: a shared holder writes a
/// released lease (never a delete), an exclusive holder deletes its own leases.
/// </summary>
public sealed class HeldLock : IAsyncDisposable
{
    private readonly StoreLockManager _manager;
    private readonly TimeSpan _lifetime;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly List<string> _keys = [];
    private readonly Stopwatch _sinceWrite;
    private Task _refresher = Task.CompletedTask;
    private long _sequence;
    private string _lastFailure = "no refresh was attempted";

    internal HeldLock(StoreLockManager manager, StoreLock value, Stopwatch sinceFirstWrite, TimeSpan lifetime)
    {
        _manager = manager;
        _lifetime = lifetime;
        _sinceWrite = sinceFirstWrite;
        Lock = value;
        _keys.Add(StoreLayout.LockLeaseKey(value.Id, 0));
    }

    /// <summary>The newest lease written.</summary>
    public StoreLock Lock { get; private set; }

    /// <summary>Cancelled when the lock is lost; a run links it into its work so stuck store calls stop too.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Why the lock was lost (the last refresh error), once <see cref="IsLost"/>.</summary>
    public string LostReason => $"not refreshed for {_lifetime.TotalSeconds:0.#}s; last error: {_lastFailure.ReplaceLineEndings(" ")}";

    /// <summary>Throws <see cref="LockLostException"/> once the lock is lost: "cannot <paramref name="doing"/>: lost the store lock (…)".</summary>
    public void EnsureHeld(string doing = "continue")
    {
        if (IsLost)
        {
            throw new LockLostException(doing, LostReason);
        }
    }

    /// <summary>A view of <paramref name="store"/> that checks <see cref="EnsureHeld"/> before every operation.</summary>
    public IObjectStore Guard(IObjectStore store) => new LockGuardedStore(store, this);

    internal void Start()
    {
        var remaining = _lifetime - _sinceWrite.Elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            _lastFailure = "taking the lock took longer than its lifetime";
            _lost.Cancel();
        }
        else
        {
            _lost.CancelAfter(remaining);
        }

        _refresher = RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        using var timer = new PeriodicTimer(_lifetime / 3);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _lost.Token);
        try
        {
            while (await timer.WaitForNextTickAsync(linked.Token).ConfigureAwait(false))
            {
                var now = DateTimeOffset.UtcNow;
                var lease = Lock with { Created = now, Expires = now + _lifetime };
                var sequence = ++_sequence;
                lock (_keys)
                {
                    // Recorded first: a write that reports failure may still have landed.
                    _keys.Add(StoreLayout.LockLeaseKey(lease.Id, sequence));
                }

                var sent = Stopwatch.StartNew();
                try
                {
                    await _manager.WriteAsync(lease, sequence, linked.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !linked.IsCancellationRequested)
                {
                    // Any failure (an unmapped error type too) is only a missed refresh: the next tick tries again,
                    // and the lost timer set by the last good write still runs out if none succeeds.
                    _lastFailure = ex is VaultikException or IOException or UnauthorizedAccessException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                    continue;
                }

                var remaining = _lifetime - sent.Elapsed;
                if (!_lost.IsCancellationRequested && remaining > TimeSpan.Zero)
                {
                    _lost.CancelAfter(remaining);
                    Lock = lease;
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Released (disposed) or lost: no lease is written after the lock was lost.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _refresher.ConfigureAwait(false);
        try
        {
            if (Lock.Kind == StoreLock.Exclusive && await TryDeleteOwnLeasesAsync().ConfigureAwait(false))
            {
                return;
            }

            // A shared holder never deletes; an exclusive one whose credentials may not delete (prune or purge
            // run with the backup host's put-only credentials) releases the same way.
            var now = DateTimeOffset.UtcNow;
            await _manager.WriteAsync(Lock with { Created = now, Expires = now, Released = true }, ++_sequence, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Releasing never masks the run's own outcome: an unreleased lease lapses by itself.
            _manager.Log($"cannot release {Lock.Describe()}: {ex.Message.ReplaceLineEndings(" ")}; it lapses by itself {_lifetime.TotalSeconds:0.#}s after its last refresh");
        }
        finally
        {
            _stop.Dispose();
            _lost.Dispose();
        }
    }

    /// <summary>Deletes this exclusive lock's leases; false when the store refuses (then a released lease is written instead).</summary>
    private async Task<bool> TryDeleteOwnLeasesAsync()
    {
        string[] keys;
        lock (_keys)
        {
            keys = [.. _keys];
        }

        try
        {
            await _manager.DeleteAsync(keys).ConfigureAwait(false);
            return true;
        }
        catch (StorageException) when (!_lost.IsCancellationRequested)
        {
            return false;
        }
    }
}
