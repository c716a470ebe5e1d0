using Vaultik.Core.Metadata;
using Vaultik.Core.Search;

namespace Vaultik.Core.Diff;

/// <summary>
/// Merges two path-ordered entry streams (<see cref="PathOrder"/>, the order SQL's ORDER BY path gives) into
/// added, removed and changed entries: one entry of each side in memory at a time, never either set.
/// </summary>
public static class TreeDiffer
{
    public static DiffSummary Merge(
        IEnumerable<SnapshotEntry> before, IEnumerable<SnapshotEntry> after, Func<SnapshotEntry, SnapshotEntry, bool> contentDiffers, IDiffSink sink, CancellationToken cancellationToken)
    {
        long added = 0, removed = 0, changed = 0, unchanged = 0, bytesAdded = 0, bytesRemoved = 0, bytesChanged = 0;
        using var left = before.GetEnumerator();
        using var right = after.GetEnumerator();
        var hasLeft = left.MoveNext();
        var hasRight = right.MoveNext();
        while (hasLeft || hasRight)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var order = !hasLeft ? 1 : !hasRight ? -1 : PathOrder.Instance.Compare(left.Current.Path, right.Current.Path);
            if (order < 0)
            {
                removed++;
                bytesRemoved += FileBytes(left.Current);
                sink.Removed(left.Current);
                hasLeft = left.MoveNext();
            }
            else if (order > 0)
            {
                added++;
                bytesAdded += FileBytes(right.Current);
                sink.Added(right.Current);
                hasRight = right.MoveNext();
            }
            else
            {
                var what = EntryChanges.Between(left.Current, right.Current, contentDiffers);
                if (what.Count == 0)
                {
                    unchanged++;
                }
                else
                {
                    changed++;
                    bytesChanged += FileBytes(right.Current) - FileBytes(left.Current);
                    sink.Changed(left.Current, right.Current, what);
                }

                hasLeft = left.MoveNext();
                hasRight = right.MoveNext();
            }
        }

        return new DiffSummary(added, removed, changed, unchanged, bytesAdded, bytesRemoved, bytesChanged);
    }

    private static long FileBytes(SnapshotEntry entry) => entry.Type == MetadataSchema.TypeFile && entry.HardlinkTo is null ? entry.Size : 0;
}
