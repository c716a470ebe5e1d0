namespace Vaultik.Cli.Output;

/// <summary>`snapshot purge --json`; <see cref="Suspect"/> lists the suspect snapshots no keep rule counts or removes.</summary>
internal sealed record PurgeJson(bool DryRun, IReadOnlyList<string> Removed, IReadOnlyList<string> Kept, PruneJson Prune, IReadOnlyList<PurgeSuspectJson> Suspect);
