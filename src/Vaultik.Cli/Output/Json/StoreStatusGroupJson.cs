namespace Vaultik.Cli.Output;

/// <summary>
/// One (host, name) group of `store status --json`. The latest_* fields, age_seconds, size_bytes, files, new_bytes
/// and blobs describe its latest complete snapshot and are null when it has none; latest_written and age_seconds
/// are by the store's clock (the manifest's LastModified).
/// </summary>
internal sealed record StoreStatusGroupJson(
    string Host, string Name, string? LatestId, DateTimeOffset? LatestCreated, DateTimeOffset? LatestWritten, double? AgeSeconds,
    long? SizeBytes, long? Files, long? NewBytes, int? Blobs, int Snapshots, int Incomplete, int Suspect, bool Stale);
