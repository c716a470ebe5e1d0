using System.Text.Json;
using Vaultik.Core.Layout;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Locking;

public sealed partial class StoreLockManager
{
    /// <summary>
    /// Every lock in the store: each lock id's newest lease (<c>locks/&lt;id&gt;/&lt;seq&gt;.json</c>, highest seq) or
    /// legacy object (<c>locks/&lt;id&gt;.json</c>). An unreadable lease is listed with kind
    /// <see cref="StoreLock.Unreadable"/>: it blocks like a live lock until <see cref="StoreLock.MaxLifetime"/>
    /// after its LastModified, and <c>--break-lock</c> removes it.
    /// </summary>
    public Task<IReadOnlyList<ListedLock>> ListAsync(CancellationToken cancellationToken) => ListAsync(known: null, cancellationToken);

    /// <summary>As <see cref="ListAsync(CancellationToken)"/>; the lease <paramref name="known"/> (this run's own, just written) is not read back.</summary>
    private async Task<IReadOnlyList<ListedLock>> ListAsync(StoreLock? known, CancellationToken cancellationToken)
    {
        var byId = new Dictionary<string, (ObjectInfo Newest, List<string> Keys)>(StringComparer.Ordinal);
        await foreach (var info in _store.ListAsync(StoreLayout.LocksPrefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = info.Key[StoreLayout.LocksPrefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var id = slash >= 0 ? rest[..slash] : rest.EndsWith(".json", StringComparison.Ordinal) ? rest[..^".json".Length] : rest;
            if (!byId.TryGetValue(id, out var entry))
            {
                byId[id] = (info, [info.Key]);
                continue;
            }

            entry.Keys.Add(info.Key);
            // Lease keys are zero-padded: the greatest key is the newest lease (a legacy "<id>.json" sorts first).
            if (string.CompareOrdinal(info.Key, entry.Newest.Key) > 0)
            {
                byId[id] = (info, entry.Keys);
            }
        }

        var locks = new List<ListedLock>();
        foreach (var (id, (newest, keys)) in byId.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var lease = known is not null && known.Id == id && keys.Count == 1
                ? known
                : await ReadLeaseAsync(id, newest, cancellationToken).ConfigureAwait(false);
            if (lease is not null)
            {
                locks.Add(new ListedLock(lease, newest.LastModified, keys));
            }
        }

        return locks;
    }

    private async Task<StoreLock?> ReadLeaseAsync(string id, ObjectInfo info, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await _store.GetAsync(info.Key, null, cancellationToken).ConfigureAwait(false);
            var parsed = await JsonSerializer.DeserializeAsync(stream, LockJsonContext.Default.StoreLock, cancellationToken).ConfigureAwait(false);
            if (parsed is not null && parsed.Id == id && parsed.Kind is StoreLock.Shared or StoreLock.Exclusive && parsed.Hostname is not null)
            {
                return parsed;
            }
        }
        catch (ObjectNotFoundException)
        {
            // Removed since the listing (an exclusive holder releasing): it is gone.
            return null;
        }
        catch (JsonException)
        {
            // A damaged lease: listed as unreadable, so it blocks (its writer may be running) and is named.
        }

        return new StoreLock(id, StoreLock.Unreadable, "unknown", 0, info.LastModified, info.LastModified + StoreLock.MaxLifetime);
    }

    /// <summary>
    /// For <c>--break-lock</c>, before any lock is taken: removes every lock that is released or lapsed even if
    /// the store's clock ran <see cref="ClockSkew"/> behind this machine's, every unreadable one (the operator
    /// asked: nobody else can tell whether its writer runs), and every lock a process of this host left that is
    /// no longer running. Returns what it removed.
    /// </summary>
    public async Task<IReadOnlyList<ListedLock>> BreakStaleAsync(CancellationToken cancellationToken)
    {
        var reference = DateTimeOffset.UtcNow - ClockSkew;
        var stale = (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(l => !l.IsLive(reference) || l.IsUnreadable || IsDeadHere(l.Lease)).ToList();
        await RemoveAsync(stale, cancellationToken).ConfigureAwait(false);
        return stale;
    }

    /// <summary>Deletes every object of each lock (the maintenance side only: the backup host never deletes) and logs it.</summary>
    private async Task RemoveAsync(IEnumerable<ListedLock> locks, CancellationToken cancellationToken)
    {
        foreach (var l in locks)
        {
            foreach (var key in l.Keys)
            {
                await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            }

            var state = l.Lease.Released ? "released" : l.Lease.Kind == StoreLock.Unreadable ? "unreadable" : $"expired {l.Expires:yyyy-MM-dd HH:mm:ss}Z";
            _log($"removed stale {l.Describe()} ({state}, {l.Keys.Count} objects)");
        }
    }

    private bool IsDeadHere(StoreLock l) =>
        l.Hostname == _hostname && l.Pid > 0 && l.Pid != Environment.ProcessId && !Directory.Exists($"/proc/{l.Pid}");
}
