namespace Vaultik.Core.Retention;

/// <summary>
/// What <see cref="RetentionExtender"/> did (or, for a dry run, would do): objects checked (each snapshot's
/// manifest and metadata and every distinct blob the kept snapshots reference), those whose retention it moved
/// out to <see cref="RetainUntil"/>, those already retained long enough, and referenced objects that are missing.
/// </summary>
public sealed record RetentionReport(bool DryRun, int Snapshots, long Checked, long Extended, long AlreadyFine, long Missing, DateTimeOffset RetainUntil);
