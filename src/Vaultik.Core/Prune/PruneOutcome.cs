namespace Vaultik.Core.Prune;

/// <summary>What a <c>prune</c> did: its plan, the bytes it freed, and whether it carried the plan out (not for a dry run, an empty plan or a declined one).</summary>
public sealed record PruneOutcome(PrunePlan Plan, long Freed, bool CarriedOut);
