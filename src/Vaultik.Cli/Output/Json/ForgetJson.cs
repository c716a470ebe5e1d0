namespace Vaultik.Cli.Output;

/// <summary>
/// `snapshot forget --json`. <c>removed</c> are the named snapshots removed (a dry run: to be removed);
/// <c>retained_snapshots</c> the named snapshots that stay whole because Object Lock retains their manifest or
/// metadata, whose objects <c>retained</c> lists; <c>prune</c> the prune that followed (as `prune --json`).
/// </summary>
internal sealed record ForgetJson(
    bool DryRun, IReadOnlyList<string> Removed, IReadOnlyList<string> RetainedSnapshots, IReadOnlyList<RetainedJson> Retained, PruneJson Prune);
