namespace Vaultik.Cli.Output;

/// <summary>`store extend-retention --json`: counts of objects checked, extended (a dry run: to extend), already fine and missing, and the new retain-until date.</summary>
internal sealed record ExtendRetentionJson(bool DryRun, int Snapshots, long ObjectsChecked, long Extended, long AlreadyFine, long Missing, DateTimeOffset RetainUntil);
