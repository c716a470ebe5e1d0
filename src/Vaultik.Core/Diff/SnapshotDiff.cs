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
    /// The snapshot (before) against the file system (after) at the same absolute paths: under <paramref name="path"/>,
    /// or under each of the snapshot's roots. Returns the summary and how many files had to be read.
    /// </summary>
    public static (DiffSummary Summary, long FilesRead) Local(MetadataReader snapshot, string? path, IDiffSink sink, Action<string> warn, CancellationToken cancellationToken)
    {
        var normalized = path is null ? null : path == "/" ? "/" : path.TrimEnd('/');
        IReadOnlyList<string> roots = normalized is null ? SnapshotEntries.Roots(snapshot) : [normalized];
        var content = new LocalContent(snapshot);
        var summary = TreeDiffer.Merge(SnapshotEntries.Under(snapshot, normalized), LocalTree.Walk(roots, warn), content.Differs, sink, cancellationToken);
        return (summary, content.FilesRead);
    }
}
