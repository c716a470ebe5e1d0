namespace Vaultik.Core.Prune;

/// <summary>
/// What a <c>prune</c> did: its plan (with the objects Object Lock retains set aside in <see cref="PrunePlan.Retained"/>)
/// and, when it carried the plan out (not for a dry run, an empty plan or a declined one), what that deleted.
/// </summary>
public sealed record PruneOutcome(PrunePlan Plan, PruneExecution? Execution)
{
    public bool CarriedOut => Execution is not null;

    public long Freed => Execution?.Freed ?? 0;

    /// <summary>Objects left because Object Lock retains them (those a dry run found, or those the run met).</summary>
    public IReadOnlyList<RetainedObject> Retained => Execution?.Retained ?? Plan.Retained;
}
