namespace Vaultik.Cli.Output;

/// <summary>`snapshot purge --json`.</summary>
internal sealed record PurgeJson(bool DryRun, IReadOnlyList<string> Removed, IReadOnlyList<string> Kept, PruneJson Prune);
