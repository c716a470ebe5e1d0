using Vaultik.Core.Metadata;
using Vaultik.Core.Restore;

namespace Vaultik.Core.Browse;

/// <summary>
/// What <c>ls</c> and <c>dump</c> read: the entry a PATH names, and the entries below a directory streamed in
/// path order a page at a time (<see cref="MetadataReader.ReadChildrenPage"/>), never the whole listing.
/// </summary>
public static class SnapshotListing
{
    private const int PageSize = 4096;

    /// <summary>
    /// The entry <paramref name="path"/> names (<c>/</c> or empty: the snapshot's top, a directory with no row of
    /// its own, returned as null), or a <see cref="VaultikException"/> (exit 1) naming the missing path.
    /// </summary>
    public static SnapshotEntry? Find(MetadataReader snapshot, string path, string snapshotId, string verb)
    {
        var normalized = PathRules.NormalizeSelector(path);
        if (normalized.Length == 0)
        {
            return null;
        }

        return snapshot.FindEntry(normalized) ?? throw new VaultikException($"cannot {verb} {path}: no such path in snapshot {snapshotId}");
    }

    /// <summary>The entries below <paramref name="directory"/> (stored form, <c>""</c> for the top), direct children only unless <paramref name="recursive"/>.</summary>
    public static IEnumerable<SnapshotEntry> Below(MetadataReader snapshot, string directory, bool recursive)
    {
        string? afterPath = null;
        long afterId = 0;
        while (true)
        {
            var page = snapshot.ReadChildrenPage(directory, recursive, afterPath, afterId, PageSize);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            (afterPath, afterId) = (page[^1].Path, page[^1].Id);
        }
    }

    /// <summary>
    /// What <c>ls PATH</c> shows: the entries below a directory (the top when <paramref name="entry"/> is null),
    /// or the entry itself when it is not a directory.
    /// </summary>
    public static IEnumerable<SnapshotEntry> List(MetadataReader snapshot, SnapshotEntry? entry, bool recursive) =>
        entry is null ? Below(snapshot, string.Empty, recursive)
        : entry.Type == MetadataSchema.TypeDirectory ? Below(snapshot, entry.Path, recursive)
        : [entry];
}
