using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Streams a snapshot's entries out of its metadata database in path order (a directory before everything
/// under it), one page at a time over the unique path index, so no pass of a restore holds more than a
/// window of entries whatever the snapshot's size.
/// </summary>
internal static class SnapshotPasses
{
    private const int PageSize = 4096;

    /// <summary>
    /// Every entry in path order, cut into windows of at most <paramref name="maxEntries"/> entries and (unless
    /// one file alone is larger) <paramref name="maxBytes"/> bytes of regular-file content.
    /// </summary>
    public static IEnumerable<List<SnapshotEntry>> Windows(MetadataReader snapshot, int maxEntries, long maxBytes)
    {
        var window = new List<SnapshotEntry>();
        long bytes = 0;
        foreach (var entry in Entries(snapshot, repeats: true))
        {
            var size = RestoreSelection.IsContentFile(entry) ? Math.Clamp(entry.Size, 0, RestoreSelection.MaxFileSize) : 0;
            if (window.Count > 0 && (window.Count >= maxEntries || bytes + size > maxBytes))
            {
                yield return window;
                window = [];
                bytes = 0;
            }

            window.Add(entry);
            bytes += size;
        }

        if (window.Count > 0)
        {
            yield return window;
        }
    }

    /// <summary>
    /// Every entry, in path order (or reversed: everything under a directory before it), optionally only
    /// directories or only hard links. A path repeated in a hostile database comes once (the lowest id, the one
    /// the restore took), unless <paramref name="repeats"/>: the windows keep them, for the planner to refuse.
    /// </summary>
    public static IEnumerable<SnapshotEntry> Entries(MetadataReader snapshot, bool descending = false, bool directoriesOnly = false, bool hardLinksOnly = false, bool repeats = false)
    {
        object? key = null;
        long atKey = 0;
        string? previous = null;
        while (true)
        {
            var page = snapshot.ReadEntryPage(key, atKey, PageSize, descending, directoriesOnly, hardLinksOnly);
            foreach (var (entry, entryKey) in page)
            {
                // The next page starts at the last key, past the entries already read there.
                atKey = SameKey(entryKey, key) ? atKey + 1 : 1;
                key = entryKey;
                if (repeats || !string.Equals(entry.Path, previous, StringComparison.Ordinal))
                {
                    yield return entry;
                }

                previous = entry.Path;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }
        }
    }

    private static bool SameKey(object a, object? b) => a is byte[] x && b is byte[] y ? x.AsSpan().SequenceEqual(y) : Equals(a, b);
}
