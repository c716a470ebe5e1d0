namespace Vaultik.Core.Status;

/// <summary>
/// What <see cref="StatusScanner"/> found: every selected group (host, then name order), the store-wide blobs no
/// manifest references, the manifests that could not be read, and whether the check is stale: a
/// <see cref="MaxAge"/> was given and some group's latest is older than it, some group has no complete snapshot,
/// or no group was found at all.
/// </summary>
public sealed record StoreStatus(
    string Location,
    DateTimeOffset CheckedAt,
    TimeSpan? MaxAge,
    IReadOnlyList<GroupStatus> Groups,
    long OrphanedBlobs,
    long OrphanedBytes,
    IReadOnlyList<UnreadableSnapshot> Unreadable)
{
    public bool Stale => MaxAge is not null && (Groups.Count == 0 || Groups.Any(g => g.Stale));

    public IReadOnlyList<GroupStatus> StaleGroups => Groups.Where(g => g.Stale).ToList();
}
