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
    private readonly TimeProvider _clock;

    /// <param name="clock">"Now" for the grace period (the system clock unless a test fixes it).</param>
    public Pruner(IObjectStore store, TimeSpan gracePeriod, TimeProvider? clock = null)
    {
        _store = store;
        _grace = gracePeriod;
        _clock = clock ?? TimeProvider.System;
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
            return new PruneOutcome(await HoldBackRetainedAsync(await PlanAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false), Execution: null);
        }

        await using var exclusive = await locks.AcquireExclusiveAsync(cancellationToken).ConfigureAwait(false);
        var guarded = new Pruner(exclusive.Guard(_store), _grace, _clock);
        try
        {
            var plan = await guarded.HoldBackRetainedAsync(await guarded.PlanAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (plan.IsEmpty || !approve(plan))
            {
                return new PruneOutcome(plan, Execution: null);
            }

            return new PruneOutcome(plan, await guarded.ExecuteAsync(plan, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (exclusive.IsLost && ex is not LockLostException { Doing: "finish prune" })
        {
            throw new LockLostException("finish prune", exclusive.LostReason, ex);
        }
    }

    /// <summary>
    /// Plans a prune. The referenced set is the union of the blobs of every manifest present, whether its
    /// snapshot is complete, suspect or incomplete, so no forged or broken manifest can make a referenced blob
    /// look unreferenced; a manifest that cannot be parsed makes the plan refuse.
    /// </summary>
    public async Task<PrunePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var catalog = new SnapshotCatalog(_store);
        foreach (var key in await catalog.UnrecognizedManifestsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw Unreadable(key, "its directory is not named with a valid snapshot id");
        }

        // Held: one fixed-size struct per distinct blob any manifest lists; the manifests' lists are streamed.
        var referenced = new BlobSet();
        var incomplete = new List<string>();
        await foreach (var entry in catalog.ReadHeadersAsync((_, hash, size) => referenced.Add(hash, size, 0), cancellationToken).ConfigureAwait(false))
        {
            if (entry.Status == CatalogStatus.Unreadable)
            {
                throw Unreadable(StoreLayout.ManifestKey(entry.Id), entry.Reason ?? "it cannot be parsed");
            }

            if (entry.Status == CatalogStatus.Incomplete)
            {
                incomplete.Add(entry.Id);
            }
        }

        // Older than the grace is deleted; exactly as old as it is kept (strictly before the cutoff).
        var cutoff = _clock.GetUtcNow() - _grace;
        var delete = new List<ObjectInfo>();
        var kept = 0;
        long referencedCount = 0, referencedBytes = 0;
        await foreach (var info in _store.ListAsync(StoreLayout.BlobsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (!StoreLayout.TryParseBlobKey(info.Key, out var hash))
            {
                continue;
            }

            if (referenced.Contains(hash))
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

    /// <summary>
    /// Moves what Object Lock still retains out of the plan's delete lists into <see cref="PrunePlan.Retained"/>
    /// (one stat per object to delete), so a dry run reports it and nothing retained is counted as freed.
    /// </summary>
    public Task<PrunePlan> HoldBackRetainedAsync(PrunePlan plan, CancellationToken cancellationToken) =>
        new RetentionGuard(_store).HoldBackAsync(plan, cancellationToken);

    /// <summary>
    /// Deletes what the plan lists, except objects the store refuses to delete because Object Lock retains them:
    /// those are reported (with the plan's <see cref="PrunePlan.Retained"/>) and not counted as freed.
    /// </summary>
    public async Task<PruneExecution> ExecuteAsync(PrunePlan plan, CancellationToken cancellationToken)
    {
        var guard = new RetentionGuard(_store);
        var retained = new List<RetainedObject>(plan.Retained);
        long freed = 0;
        int blobs = 0, metadata = 0;
        foreach (var (item, isBlob) in plan.MetadataToDelete.Select(m => (m, false)).Concat(plan.BlobsToDelete.Select(b => (b, true))))
        {
            if (await guard.DeleteAsync(item.Key, cancellationToken).ConfigureAwait(false) is { } held)
            {
                retained.Add(held);
                continue;
            }

            freed += item.Size;
            if (isBlob)
            {
                blobs++;
            }
            else
            {
                metadata++;
            }
        }

        return new PruneExecution(blobs, metadata, freed, retained);
    }

    /// <summary>
    /// Removes snapshots: each manifest first (so it is never listed half-removed), then its metadata. A snapshot
    /// whose manifest or metadata Object Lock still retains is kept whole (still listed) and returned.
    /// </summary>
    /// <param name="ids">The snapshot directories' ids (never a manifest's own claim, which a suspect manifest may forge).</param>
    public async Task<IReadOnlyList<RetainedSnapshot>> RemoveSnapshotsAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var guard = new RetentionGuard(_store);
        var kept = new List<RetainedSnapshot>();
        foreach (var id in ids)
        {
            if (await RetainedObjectsAsync(guard, id, cancellationToken).ConfigureAwait(false) is { Count: > 0 } held)
            {
                kept.Add(new RetainedSnapshot(id, held));
                continue;
            }

            if (await guard.DeleteAsync(StoreLayout.ManifestKey(id), cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                kept.Add(new RetainedSnapshot(id, [manifest]));
                continue;
            }

            if (await guard.DeleteAsync(StoreLayout.MetadataKey(id), cancellationToken).ConfigureAwait(false) is { } metadata)
            {
                // The manifest is gone, so the snapshot is no longer listed; its metadata stays until a prune after its retention.
                kept.Add(new RetainedSnapshot(id, [metadata]));
            }
        }

        return kept;
    }

    /// <summary>
    /// Which snapshots <see cref="RemoveSnapshotsAsync"/> would keep because Object Lock retains their manifest or
    /// metadata (for dry runs; two stats per snapshot, nothing deleted).
    /// </summary>
    public async Task<IReadOnlyList<RetainedSnapshot>> FindRetainedSnapshotsAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var guard = new RetentionGuard(_store);
        var kept = new List<RetainedSnapshot>();
        foreach (var id in ids)
        {
            if (await RetainedObjectsAsync(guard, id, cancellationToken).ConfigureAwait(false) is { Count: > 0 } held)
            {
                kept.Add(new RetainedSnapshot(id, held));
            }
        }

        return kept;
    }

    private static async Task<List<RetainedObject>> RetainedObjectsAsync(RetentionGuard guard, string id, CancellationToken cancellationToken)
    {
        var held = new List<RetainedObject>(2);
        foreach (var key in new[] { StoreLayout.ManifestKey(id), StoreLayout.MetadataKey(id) })
        {
            if (await guard.RetainedAsync(key, cancellationToken).ConfigureAwait(false) is { } retained)
            {
                held.Add(retained);
            }
        }

        return held;
    }
}
