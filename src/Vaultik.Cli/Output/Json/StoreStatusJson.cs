namespace Vaultik.Cli.Output;

/// <summary>
/// `store status --json` (README "store status"): the store, when it was checked, the --max-age in seconds (or
/// null), whether the check is stale, one element per group, and the store-wide orphaned blobs and bytes.
/// </summary>
internal sealed record StoreStatusJson(
    string StorageUrl, DateTimeOffset CheckedAt, double? MaxAgeSeconds, bool Stale, IReadOnlyList<StoreStatusGroupJson> Groups, long OrphanedBlobs, long OrphanedBytes);
