using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// What a restore will do, decided before anything in the target changes (<see cref="RestorePlanner"/>).
/// Immutable. The chunk layout of <see cref="NeedContent"/> lives in the <see cref="MetadataReader"/> it was
/// planned from (<see cref="MetadataReader.LayOutChunks"/>), which stays valid while that reader is open.
/// </summary>
internal sealed record RestorePlan(
    IReadOnlyList<SnapshotEntry> Directories,
    IReadOnlyList<SnapshotEntry> Files,
    IReadOnlyList<SnapshotEntry> HardLinks,
    IReadOnlyList<SnapshotEntry> Symlinks,
    IReadOnlySet<long> BadChunkLists,
    IReadOnlySet<long> Unchanged,
    IReadOnlyList<SnapshotEntry> NeedContent,
    IReadOnlyList<(Hash256 Hash, long Size)> Blobs,
    IReadOnlyList<string> Problems)
{
    /// <summary>Every selected entry that passed validation, in path order.</summary>
    public required IReadOnlyList<SnapshotEntry> Selected { get; init; }

    /// <summary>Stored bytes of <see cref="Blobs"/> (an upper bound on what the restore downloads).</summary>
    public long BlobBytesNeeded => Blobs.Sum(b => b.Size);

    /// <summary>Bytes of file content to write.</summary>
    public long BytesTotal => NeedContent.Sum(f => f.Size);
}
