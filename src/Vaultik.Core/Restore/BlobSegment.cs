using Vaultik.Core.Packing;

namespace Vaultik.Core.Restore;

/// <summary>
/// One unit of restore download work: consecutive needed chunks of one blob (about 32 MiB of frames), and for
/// each chunk of the blob the (file, offset) pairs it is written to. <see cref="IsFirst"/> marks a blob's first segment.
/// </summary>
internal sealed record BlobSegment(
    Hash256 Blob, long BlobSize, List<PackedChunk> Chunks,
    Dictionary<long, (PackedChunk Chunk, List<(long FileId, long Offset)> Targets)> Targets, bool IsFirst)
{
    /// <summary>The files this segment writes to.</summary>
    public List<long> AffectedFiles() => Chunks.SelectMany(c => Targets[c.FrameOffset].Targets).Select(t => t.FileId).Distinct().ToList();
}
