namespace Vaultik.Core.Prune;

/// <summary>
/// What carrying out a purge did: the snapshots it kept whole because Object Lock retains them, the prune it
/// planned after removing the others, and what that prune deleted (null when its plan was empty).
/// </summary>
public sealed record PurgeResult(IReadOnlyList<RetainedSnapshot> RetainedSnapshots, PrunePlan Prune, PruneExecution? Execution)
{
    public long BytesFreed => Execution?.Freed ?? 0;
}
