using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// What a restore does with one window of the snapshot (<see cref="RestorePlanner"/>), decided before the
/// window changes anything in the target. Immutable. The chunk layout of <see cref="NeedContent"/> lives in the
/// <see cref="MetadataReader"/> it was planned from (<see cref="MetadataReader.LayOutChunks"/>) until the next
/// window is planned. Hard links are made after every window (their first name may come later in path order).
/// </summary>
internal sealed record RestorePlan(
    IReadOnlyList<SnapshotEntry> Directories,
    IReadOnlyList<SnapshotEntry> Files,
    IReadOnlyList<SnapshotEntry> Symlinks,
    IReadOnlySet<long> BadChunkLists,
    IReadOnlySet<long> Unchanged,
    IReadOnlyList<SnapshotEntry> NeedContent,
    IReadOnlyList<(Hash256 Hash, long Size)> Blobs,
    IReadOnlyList<string> Problems)
{
    /// <summary>Bytes of file content to write.</summary>
    public long BytesTotal => NeedContent.Sum(f => f.Size);
}
