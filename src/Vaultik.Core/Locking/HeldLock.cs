namespace Vaultik.Core.Locking;

/// <summary>A lock this process holds: refreshed in the background until disposed, then deleted.</summary>
public sealed class HeldLock : IAsyncDisposable
{
    private readonly StoreLockManager _manager;
    private readonly TimeSpan _lifetime;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refresher;

    internal HeldLock(StoreLockManager manager, StoreLock value, TimeSpan lifetime)
    {
        _manager = manager;
        _lifetime = lifetime;
        Lock = value;
        _refresher = RefreshAsync();
    }

    public StoreLock Lock { get; private set; }

    private async Task RefreshAsync()
    {
        using var timer = new PeriodicTimer(_lifetime / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Lock = Lock with { Expires = DateTimeOffset.UtcNow + _lifetime };
                await _manager.WriteAsync(Lock, createOnly: false, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the lock is released below.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(_refresher).ConfigureAwait(false);
        await _manager.DeleteAsync(Lock).ConfigureAwait(false);
        _stop.Dispose();
    }
}
