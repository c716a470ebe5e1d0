using Vaultik.Core.Metadata;

namespace Vaultik.Core.Diff;

/// <summary>
/// <c>vaultik diff</c>'s work on opened metadata: two snapshots (content equal when the chunk hash lists are,
/// <see cref="SnapshotEntries.ContentDigest"/>), or a snapshot against the live file system
/// (<see cref="LocalTree"/>, <see cref="LocalContent"/>), under an optional path.
/// </summary>
public static class SnapshotDiff
{
    public static DiffSummary Snapshots(MetadataReader before, MetadataReader after, string? path, IDiffSink sink, CancellationToken cancellationToken) =>
        TreeDiffer.Merge(
            SnapshotEntries.Under(before, path), SnapshotEntries.Under(after, path),
            (a, b) => SnapshotEntries.ContentDigest(before, a.Id) != SnapshotEntries.ContentDigest(after, b.Id),
            sink, cancellationToken);

    /// <summary>
    /// The snapshot (before) against the file system (after) at the same absolute paths: under <paramref name="path"/>
    /// (stored form), or under each path the snapshot was made of, one after the other (the directories above
    /// them, stored so a restore can recreate them, are not compared). Returns the summary and how many files had to be read.
    /// </summary>
    public static (DiffSummary Summary, long FilesRead) Local(MetadataReader snapshot, string? path, IDiffSink sink, Action<string> warn, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> roots = string.IsNullOrEmpty(path) ? SnapshotEntries.Roots(snapshot) : [path];
        var content = new LocalContent(snapshot);
        var total = new DiffSummary(0, 0, 0, 0, 0, 0, 0);
        foreach (var root in roots)
        {
            // The live tree has no "first name" of an inode: a stored hard link is compared as the file it names.
            var stored = SnapshotEntries.Under(snapshot, root).Select(e => e.HardlinkTo is not null && snapshot.FindEntry(e.HardlinkTo) is { } target
                ? e with { Id = target.Id, Size = target.Size, HardlinkTo = null }
                : e);
            var s = TreeDiffer.Merge(stored, LocalTree.Walk([root], warn), content.Differs, sink, cancellationToken);
            total = new DiffSummary(total.Added + s.Added, total.Removed + s.Removed, total.Changed + s.Changed, total.Unchanged + s.Unchanged,
                total.BytesAdded + s.BytesAdded, total.BytesRemoved + s.BytesRemoved, total.BytesChanged + s.BytesChanged);
        }

        return (total, content.FilesRead);
    }
}
