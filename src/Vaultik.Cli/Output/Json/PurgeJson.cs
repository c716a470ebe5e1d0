namespace Vaultik.Cli.Output;

/// <summary>
/// `snapshot purge --json`. <c>removed</c> are the snapshots removed (a dry run: to be removed);
/// <c>retained_snapshots</c> those the rules would remove but that stay whole because Object Lock retains their
/// manifest or metadata, whose objects <c>retained</c> lists; <c>suspect</c> the suspect snapshots no keep rule
/// counts or removes.
/// </summary>
internal sealed record PurgeJson(
    bool DryRun, IReadOnlyList<string> Removed, IReadOnlyList<string> Kept, IReadOnlyList<string> RetainedSnapshots, IReadOnlyList<RetainedJson> Retained, PruneJson Prune,
    IReadOnlyList<PurgeSuspectJson> Suspect);
