using Vaultik.Core.Catalog;
using Vaultik.Core.Layout;
using Vaultik.Core.Locking;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Prune;

/// <summary>
/// <c>snapshot purge</c> as plan, then carry out: <see cref="PlanAsync"/> applies a retention policy to the
/// store's complete, unsuspected snapshots; <see cref="ExecuteAsync"/> takes the store's exclusive lock, removes the
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

    /// <summary>For a dry run: the planned snapshots <see cref="ExecuteAsync"/> would keep because Object Lock retains them.</summary>
    public Task<IReadOnlyList<RetainedSnapshot>> FindRetainedAsync(PurgePlan plan, CancellationToken cancellationToken) =>
        new Pruner(_store, TimeSpan.Zero).FindRetainedSnapshotsAsync(plan.Remove.Select(e => e.Id).ToList(), cancellationToken);

    /// <summary>
    /// Splits the complete snapshots (only those of <paramref name="hostname"/>, named <paramref name="name"/> and
    /// carrying every one of <paramref name="tags"/>, if given) by <paramref name="policy"/>, by the store's clock;
    /// suspect snapshots are set apart, untouched.
    /// </summary>
    public async Task<PurgePlan> PlanAsync(RetentionPolicy policy, string? name, string? hostname, IReadOnlyCollection<string> tags, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var listed = await new SnapshotCatalog(_store).ListAsync(hostname, name, tags, cancellationToken).ConfigureAwait(false);
        var (keep, remove) = policy.Apply(listed, now);
        return new PurgePlan(keep, remove, listed.Where(e => e.Status == CatalogStatus.Suspect).ToList());
    }

    /// <summary>
    /// The plan of <c>snapshot forget</c>: exactly the snapshots named by <paramref name="ids"/> (complete or
    /// suspect, each once), nothing kept by a rule. Refuses the whole plan (a <see cref="ConfigurationException"/>
    /// for an argument that is not a snapshot id, a <see cref="VaultikException"/> for an id the store does not
    /// list) so nothing is removed unless every id is known.
    /// </summary>
    public async Task<PurgePlan> PlanForgetAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            throw new ConfigurationException("cannot forget snapshots: give at least one snapshot id (see 'vaultik snapshot list')");
        }

        foreach (var id in ids.Where(id => !SnapshotId.TryParse(id, out _)))
        {
            throw new ConfigurationException($"cannot forget snapshot '{id}': not a snapshot id (use an id from 'vaultik snapshot list'); nothing was removed");
        }

        var listed = (await new SnapshotCatalog(_store).ListAsync(null, null, cancellationToken).ConfigureAwait(false)).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var remove = new List<CatalogEntry>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            remove.Add(listed.TryGetValue(id, out var entry)
                ? entry
                : throw new VaultikException($"cannot forget snapshot {id}: {_store.Location} holds no complete or suspect snapshot with that id; nothing was removed"));
        }

        return new PurgePlan([], remove, []);
    }

    /// <summary>
    /// Removes the plan's snapshots (keeping whole, and returning, those whose manifest or metadata Object Lock
    /// still retains), then plans a prune (blobs older than <paramref name="gracePeriod"/> that
    /// nothing references any more), lets <paramref name="showPrune"/> see it, and carries it out.
    /// </summary>
    public async Task<PurgeResult> ExecuteAsync(PurgePlan plan, TimeSpan gracePeriod, Action<PrunePlan> showPrune, CancellationToken cancellationToken)
    {
        await using var exclusive = await _locks.AcquireExclusiveAsync(cancellationToken).ConfigureAwait(false);
        // Every store call under the lock checks it first: a purge that lost its lock deletes nothing more.
        var pruner = new Pruner(exclusive.Guard(_store), gracePeriod);
        try
        {
            var retained = await pruner.RemoveSnapshotsAsync(plan.Remove.Select(e => e.Id).ToList(), cancellationToken).ConfigureAwait(false);
            var prune = await pruner.HoldBackRetainedAsync(await pruner.PlanAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            showPrune(prune);
            var execution = prune.IsEmpty ? null : await pruner.ExecuteAsync(prune, cancellationToken).ConfigureAwait(false);
            return new PurgeResult(retained, prune, execution);
        }
        catch (Exception ex) when (exclusive.IsLost && ex is not LockLostException { Doing: "finish purge" })
        {
            throw new LockLostException("finish purge", exclusive.LostReason, ex);
        }
    }
}
