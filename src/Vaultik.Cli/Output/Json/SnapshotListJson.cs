namespace Vaultik.Cli.Output;

/// <summary>
/// `snapshot list --json`: one element per listed (complete or suspect) snapshot, oldest written first.
/// <see cref="Written"/> is the store's clock (the manifest's LastModified); <see cref="Suspect"/> the reason a
/// snapshot is suspect, or null; <see cref="Tampered"/> the snapshot's keys that were rewritten.
/// </summary>
internal sealed record SnapshotListJson(
    string Id, string Name, string Hostname, DateTimeOffset Created, long FileCount, long TotalSize, long BlobCount, long CompressedSize,
    DateTimeOffset Written, string? Suspect, IReadOnlyList<string> Tampered, IReadOnlyList<string> Tags);
