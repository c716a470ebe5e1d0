using Vaultik.Core.Catalog;
using Vaultik.Core.Locking;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Prune;

/// <summary>
/// <c>snapshot purge</c> as plan, then carry out: <see cref="PlanAsync"/> applies a retention policy to the
/// store's complete snapshots; <see cref="ExecuteAsync"/> takes the store's exclusive lock, removes the
/// planned snapshots and, under the same lock, prunes what only they used. No key needed.
/// </summary>
public sealed class Purger
{
    private readonly IObjectStore _store;
    private readonly StoreLockManager _locks;

    /// <param name="locks">Where the exclusive lock this purge takes comes from.</param>
    public Purger(IObjectStore store, StoreLockManager locks)
    {
        _store = store;
        _locks = locks;
    }

    /// <summary>Splits the complete snapshots (only those named <paramref name="name"/>, if given) by <paramref name="policy"/>.</summary>
    public async Task<PurgePlan> PlanAsync(RetentionPolicy policy, string? name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var all = (await new SnapshotCatalog(_store).ListAsync(cancellationToken).ConfigureAwait(false)).Where(m => name is null || m.Name == name).ToList();
        var (keep, remove) = policy.Apply(all, now);
        return new PurgePlan(keep, remove);
    }

    /// <summary>
    /// Removes the plan's snapshots, then plans a prune (blobs older than <paramref name="gracePeriod"/> that
    /// nothing references any more), lets <paramref name="showPrune"/> see it, and carries it out.
    /// </summary>
    public async Task<PurgeResult> ExecuteAsync(PurgePlan plan, TimeSpan gracePeriod, Action<PrunePlan> showPrune, CancellationToken cancellationToken)
    {
        await using var exclusive = await _locks.AcquireExclusiveAsync(cancellationToken).ConfigureAwait(false);
        // Every store call under the lock checks it first: a purge that lost its lock deletes nothing more.
        var pruner = new Pruner(exclusive.Guard(_store), gracePeriod);
        try
        {
            await pruner.RemoveSnapshotsAsync(plan.Remove, cancellationToken).ConfigureAwait(false);
            var prune = await pruner.PlanAsync(cancellationToken).ConfigureAwait(false);
            showPrune(prune);
            var freed = prune.IsEmpty ? 0 : await pruner.ExecuteAsync(prune, cancellationToken).ConfigureAwait(false);
            return new PurgeResult(prune, freed);
        }
        catch (Exception ex) when (exclusive.IsLost && ex is not LockLostException { Doing: "finish purge" })
        {
            throw new LockLostException("finish purge", exclusive.LostReason, ex);
        }
    }
}
