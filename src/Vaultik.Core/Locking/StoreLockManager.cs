using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Vaultik.Core.Storage;
using Vaultik.Core.Layout;

namespace Vaultik.Core.Locking;

/// <summary>
/// Store-wide locks so prune never deletes what a running snapshot needs: <c>snapshot create</c> holds a
/// shared lock, <c>prune</c> and <c>snapshot purge</c> an exclusive one. A lock is an object created only if
/// absent, refreshed while its holder runs and ignored once expired (then <c>--break-lock</c> deletes it).
/// After creating its lock a taker lists again, so two racing takers never both proceed.
/// </summary>
public sealed class StoreLockManager
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    private readonly IObjectStore _store;
    private readonly string _hostname;
    private readonly TimeSpan _lifetime;

    public StoreLockManager(IObjectStore store, string hostname, TimeSpan? lifetime = null)
    {
        _store = store;
        _hostname = hostname;
        _lifetime = lifetime ?? DefaultLifetime;
    }

    /// <summary>Every lock object in the store (unreadable ones are reported as expired placeholders).</summary>
    public async Task<IReadOnlyList<StoreLock>> ListAsync(CancellationToken cancellationToken)
    {
        var locks = new List<StoreLock>();
        await foreach (var info in _store.ListAsync(StoreLayout.LocksPrefix, cancellationToken).ConfigureAwait(false))
        {
            var id = Path.GetFileNameWithoutExtension(info.Key[StoreLayout.LocksPrefix.Length..]);
            try
            {
                await using var stream = await _store.GetAsync(info.Key, null, cancellationToken).ConfigureAwait(false);
                var parsed = await JsonSerializer.DeserializeAsync(stream, LockJsonContext.Default.StoreLock, cancellationToken).ConfigureAwait(false);
                if (parsed is not null && parsed.Id == id)
                {
                    locks.Add(parsed);
                    continue;
                }
            }
            catch (ObjectNotFoundException)
            {
                continue;
            }
            catch (JsonException)
            {
                // A damaged lock object blocks nothing; it is listed as expired so --break-lock can remove it.
            }

            locks.Add(new StoreLock(id, "unreadable", "unknown", 0, info.LastModified, info.LastModified));
        }

        return locks;
    }

    public Task<HeldLock> AcquireSharedAsync(CancellationToken cancellationToken) => AcquireAsync(StoreLock.Shared, cancellationToken);

    public Task<HeldLock> AcquireExclusiveAsync(CancellationToken cancellationToken) => AcquireAsync(StoreLock.Exclusive, cancellationToken);

    /// <summary>
    /// Deletes every stale lock — expired ones, and ones this host's processes left behind that are no longer
    /// running — and returns them.
    /// </summary>
    public async Task<IReadOnlyList<StoreLock>> BreakStaleAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var stale = (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(l => l.IsExpired(now) || IsDeadHere(l)).ToList();
        foreach (var l in stale)
        {
            await _store.DeleteAsync(StoreLayout.LockKey(l.Id), cancellationToken).ConfigureAwait(false);
        }

        return stale;
    }

    private bool IsDeadHere(StoreLock l) =>
        l.Hostname == _hostname && l.Pid > 0 && l.Pid != Environment.ProcessId && !Directory.Exists($"/proc/{l.Pid}");

    private async Task<HeldLock> AcquireAsync(string kind, CancellationToken cancellationToken)
    {
        CheckConflicts(kind, await ListAsync(cancellationToken).ConfigureAwait(false), ownId: null);
        var now = DateTimeOffset.UtcNow;
        var id = string.Create(CultureInfo.InvariantCulture,
            $"{now.UtcDateTime:yyyyMMddHHmmss}-{StoreLayout.SafeSegment(_hostname)}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        var mine = new StoreLock(id, kind, _hostname, Environment.ProcessId, now, now + _lifetime);
        await WriteAsync(mine, createOnly: true, cancellationToken).ConfigureAwait(false);
        try
        {
            CheckConflicts(kind, await ListAsync(cancellationToken).ConfigureAwait(false), ownId: id);
        }
        catch
        {
            await _store.DeleteAsync(StoreLayout.LockKey(id), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new HeldLock(this, mine, _lifetime);
    }

    private static void CheckConflicts(string kind, IReadOnlyList<StoreLock> locks, string? ownId)
    {
        var now = DateTimeOffset.UtcNow;
        var blocking = locks.Where(l => l.Id != ownId && !l.IsExpired(now) && (kind == StoreLock.Exclusive || l.Kind == StoreLock.Exclusive)).OrderBy(l => l.Created).FirstOrDefault();
        if (blocking is not null)
        {
            throw new LockHeldException($"cannot take a {kind} lock on the store: {blocking.Describe()} (it expires {blocking.Expires:yyyy-MM-dd HH:mm:ss}Z; try again later)");
        }
    }

    internal async Task WriteAsync(StoreLock value, bool createOnly, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, LockJsonContext.Default.StoreLock);
        using var content = new MemoryStream(json, writable: false);
        await _store.PutAsync(StoreLayout.LockKey(value.Id), content, cancellationToken).ConfigureAwait(false);
    }

    internal Task DeleteAsync(StoreLock value) => _store.DeleteAsync(StoreLayout.LockKey(value.Id), CancellationToken.None);
}
