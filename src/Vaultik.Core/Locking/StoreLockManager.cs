using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Vaultik.Core.Layout;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Locking;

/// <summary>
/// Store-wide locks so prune never deletes what a running snapshot needs: <c>snapshot create</c> holds a
/// shared lock, <c>prune</c> and <c>snapshot purge</c> an exclusive one. A lock is a series of create-only
/// lease objects (<c>locks/&lt;lock-id&gt;/&lt;seq&gt;.json</c>, docs/FORMAT.md "Locks"): refreshing writes the next
/// one, the newest decides, and it counts while its LastModified (the store's clock) plus its declared lifetime
/// lies ahead. A shared holder never deletes anything (the backup host has no delete right): it releases by
/// writing a released lease. Exclusive holders delete their own leases, and remove the stale ones of others.
/// After creating its lease a taker lists again, so two racing takers never both proceed.
/// </summary>
public sealed partial class StoreLockManager
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How far this machine's clock may be from the store's where the two are compared (only before a lock is held).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>Allowance between two of the store's own timestamps: LastModified is only to the second on S3.</summary>
    public static readonly TimeSpan StoreClockMargin = TimeSpan.FromSeconds(2);

    private readonly IObjectStore _store;
    private readonly string _hostname;
    private readonly TimeSpan _lifetime;
    private readonly Action<string> _log;

    /// <param name="lifetime">The lifetime of each lease (config <c>lock_lifetime</c>), up to <see cref="StoreLock.MaxLifetime"/>.</param>
    /// <param name="log">Sees what is removed, and releases that failed.</param>
    public StoreLockManager(IObjectStore store, string hostname, TimeSpan lifetime, Action<string> log)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > StoreLock.MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"a lock lifetime is more than zero and at most {StoreLock.MaxLifetime}");
        }

        _store = store;
        _hostname = hostname;
        _lifetime = lifetime;
        _log = log;
    }

    public TimeSpan Lifetime => _lifetime;

    public Task<HeldLock> AcquireSharedAsync(CancellationToken cancellationToken) => AcquireAsync(StoreLock.Shared, cancellationToken);

    /// <summary>Takes the exclusive lock, then removes every released, unreadable or lapsed lock of others (logging each).</summary>
    public Task<HeldLock> AcquireExclusiveAsync(CancellationToken cancellationToken) => AcquireAsync(StoreLock.Exclusive, cancellationToken);

    private async Task<HeldLock> AcquireAsync(string kind, CancellationToken cancellationToken)
    {
        // An early refusal, by this machine's clock: only a lock that is live even if that clock is ClockSkew slow.
        CheckConflicts(kind, await ListAsync(cancellationToken).ConfigureAwait(false), ownId: null, DateTimeOffset.UtcNow + ClockSkew);
        var now = DateTimeOffset.UtcNow;
        var id = string.Create(CultureInfo.InvariantCulture,
            $"{now.UtcDateTime:yyyyMMddHHmmss}-{StoreLayout.SafeSegment(_hostname)}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        var mine = new StoreLock(id, kind, _hostname, Environment.ProcessId, now, now + _lifetime);
        var written = Stopwatch.StartNew();
        await WriteAsync(mine, 0, cancellationToken).ConfigureAwait(false);
        var held = new HeldLock(this, mine, written, _lifetime);
        try
        {
            var listed = await ListAsync(mine, cancellationToken).ConfigureAwait(false);
            // The authoritative check, by the store's clock: the LastModified of the lease just written is "now".
            var reference = listed.FirstOrDefault(l => l.Id == id)?.LastModified - StoreClockMargin ?? DateTimeOffset.UtcNow - ClockSkew;
            CheckConflicts(kind, listed, ownId: id, reference);
            if (kind == StoreLock.Exclusive)
            {
                await RemoveAsync(listed.Where(l => l.Id != id && !l.IsLive(reference)), cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // A shared taker writes a released lease (it cannot delete); an exclusive one deletes its own.
            await held.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        held.Start();
        return held;
    }

    private static void CheckConflicts(string kind, IReadOnlyList<ListedLock> locks, string? ownId, DateTimeOffset reference)
    {
        var blocking = locks
            .Where(l => l.Id != ownId && l.IsLive(reference) && (kind == StoreLock.Exclusive || l.Lease.Kind != StoreLock.Shared))
            .OrderBy(l => l.Lease.Created)
            .FirstOrDefault();
        if (blocking is { IsUnreadable: true })
        {
            // Nobody can tell whether its writer is still running: it blocks like a live exclusive lock.
            throw new LockHeldException(
                $"cannot take a {kind} lock on the store: {blocking.Describe()} cannot be parsed, so it counts as held until {blocking.Expires:yyyy-MM-dd HH:mm:ss}Z; "
                + "if no run is using the store, remove it with 'vaultik prune --break-lock'");
        }

        if (blocking is not null)
        {
            throw new LockHeldException($"cannot take a {kind} lock on the store: {blocking.Describe()} (it expires {blocking.Expires:yyyy-MM-dd HH:mm:ss}Z; try again later)");
        }
    }

    /// <summary>Creates lease number <paramref name="sequence"/> (create-only, like every write).</summary>
    internal async Task<string> WriteAsync(StoreLock lease, long sequence, CancellationToken cancellationToken)
    {
        var key = StoreLayout.LockLeaseKey(lease.Id, sequence);
        var json = JsonSerializer.SerializeToUtf8Bytes(lease, LockJsonContext.Default.StoreLock);
        using var content = new MemoryStream(json, writable: false);
        await _store.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>An exclusive holder's release: deletes its own leases.</summary>
    internal async Task DeleteAsync(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            await _store.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal void Log(string message) => _log(message);
}
