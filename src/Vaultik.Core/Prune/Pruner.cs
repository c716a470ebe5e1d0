using Vaultik.Core.Storage;
using Vaultik.Core.Catalog;
using Vaultik.Core.Metadata;
using Vaultik.Core.Layout;
using Vaultik.Core.Locking;

namespace Vaultik.Core.Prune;

/// <summary>
/// Plans and carries out prunes and purges without any private key, from manifests and listings only.
/// <see cref="RunAsync"/> is the whole <c>prune</c>: exclusive lock, plan, approval, carry out; the lower-level
/// steps are for callers that already hold the lock (<see cref="Purger"/>).
/// </summary>
public sealed class Pruner
{
    private readonly IObjectStore _store;
    private readonly TimeSpan _grace;

    public Pruner(IObjectStore store, TimeSpan gracePeriod)
    {
        _store = store;
        _grace = gracePeriod;
    }

    /// <summary>
    /// Takes the store's exclusive lock from <paramref name="locks"/> (a dry run takes none: it changes nothing),
    /// plans, shows the plan to <paramref name="approve"/> and, unless it is a dry run, empty or not approved,
    /// carries it out under the same lock. Losing the lock stops it before its next store call
    /// (<see cref="LockLostException"/>).
    /// </summary>
    public async Task<PruneOutcome> RunAsync(StoreLockManager locks, bool dryRun, Func<PrunePlan, bool> approve, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            return new PruneOutcome(await PlanAsync(cancellationToken).ConfigureAwait(false), Freed: 0, CarriedOut: false);
        }

        await using var exclusive = await locks.AcquireExclusiveAsync(cancellationToken).ConfigureAwait(false);
        var guarded = new Pruner(exclusive.Guard(_store), _grace);
        try
        {
            var plan = await guarded.PlanAsync(cancellationToken).ConfigureAwait(false);
            if (plan.IsEmpty || !approve(plan))
            {
                return new PruneOutcome(plan, Freed: 0, CarriedOut: false);
            }

            return new PruneOutcome(plan, await guarded.ExecuteAsync(plan, cancellationToken).ConfigureAwait(false), CarriedOut: true);
        }
        catch (Exception ex) when (exclusive.IsLost && ex is not LockLostException { Doing: "finish prune" })
        {
            throw new LockLostException("finish prune", exclusive.LostReason, ex);
        }
    }

    public async Task<PrunePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var catalog = new SnapshotCatalog(_store);
        var (complete, incomplete) = await catalog.ScanAsync(cancellationToken).ConfigureAwait(false);
        foreach (var key in await catalog.UnrecognizedManifestsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw Unreadable(key, "its directory is not named with a valid snapshot id");
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in complete)
        {
            SnapshotManifest manifest;
            try
            {
                manifest = await ManifestCodec.ReadAsync(_store, id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is VaultikException or IOException or UnauthorizedAccessException)
            {
                throw Unreadable(StoreLayout.ManifestKey(id), ex.Message, ex);
            }

            referenced.UnionWith(manifest.Blobs.Select(b => b.Hash));
        }

        var cutoff = DateTimeOffset.UtcNow - _grace;
        var delete = new List<ObjectInfo>();
        var kept = 0;
        long referencedCount = 0, referencedBytes = 0;
        await foreach (var info in _store.ListAsync(StoreLayout.BlobsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (!StoreLayout.TryParseBlobKey(info.Key, out var hash))
            {
                continue;
            }

            if (referenced.Contains(hash.ToString()))
            {
                referencedCount++;
                referencedBytes += info.Size;
            }
            else if (info.LastModified < cutoff)
            {
                delete.Add(info);
            }
            else
            {
                kept++;
            }
        }

        var metadata = new List<ObjectInfo>();
        foreach (var id in incomplete)
        {
            await foreach (var info in _store.ListAsync($"{StoreLayout.MetadataPrefix}{id}/", cancellationToken).ConfigureAwait(false))
            {
                if (info.LastModified < cutoff)
                {
                    metadata.Add(info);
                }
            }
        }

        return new PrunePlan(delete, metadata, kept, referencedCount, referencedBytes);
    }

    /// <summary>
    /// The refusal when a manifest cannot be read: planning without it would count the blobs its snapshot uses
    /// as unreferenced, so nothing is deleted (a <see cref="VaultikException"/> naming the key) until it is repaired or its snapshot removed by hand.
    /// </summary>
    private static VaultikException Unreadable(string key, string reason, Exception? inner = null)
    {
        var oneLine = reason.ReplaceLineEndings(" ");
        var directory = key[..(key.LastIndexOf('/') + 1)];
        return new VaultikException(
            $"cannot plan prune: manifest {key} cannot be read or parsed ({oneLine}); nothing was deleted, because the blobs it lists would look unreferenced. "
            + $"Put back a good copy of {key}, or, if that snapshot is lost, delete {directory} by hand; then prune again", inner);
    }

    /// <summary>Deletes what the plan lists; returns the bytes freed.</summary>
    public async Task<long> ExecuteAsync(PrunePlan plan, CancellationToken cancellationToken)
    {
        long freed = 0;
        foreach (var item in plan.MetadataToDelete.Concat(plan.BlobsToDelete))
        {
            await _store.DeleteAsync(item.Key, cancellationToken).ConfigureAwait(false);
            freed += item.Size;
        }

        return freed;
    }

    /// <summary>Removes snapshots: each manifest first (so it is never listed half-removed), then its metadata.</summary>
    public async Task RemoveSnapshotsAsync(IEnumerable<SnapshotManifest> snapshots, CancellationToken cancellationToken)
    {
        foreach (var snapshot in snapshots)
        {
            await _store.DeleteAsync(StoreLayout.ManifestKey(snapshot.Id), cancellationToken).ConfigureAwait(false);
            await _store.DeleteAsync(StoreLayout.MetadataKey(snapshot.Id), cancellationToken).ConfigureAwait(false);
        }
    }
}
