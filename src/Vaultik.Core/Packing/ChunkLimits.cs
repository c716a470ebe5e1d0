using Vaultik.Core.Chunking;

namespace Vaultik.Core.Packing;

/// <summary>
/// The format's bounds on one chunk (docs/FORMAT.md, "Blob layout"): its plaintext is at most the chunker's
/// largest allowed maximum, its frame at most the zstd bound of that. Readers refuse anything larger before
/// sizing a buffer by it.
/// </summary>
public static class ChunkLimits
{
    public const int MaxPlainLength = ChunkerOptions.MaximumMaxSize;

    public static int MaxFrameLength { get; } = ChunkCodec.MaxFrameLength(MaxPlainLength);

    /// <summary>True when <paramref name="chunk"/>'s frame lies inside <paramref name="plaintextLength"/> bytes and its lengths are within the bounds (overflow-safe).</summary>
    public static bool IsWithin(PackedChunk chunk, long plaintextLength) =>
        chunk.PlainLength is >= 0 and <= MaxPlainLength
        && chunk.FrameLength > 0 && chunk.FrameLength <= MaxFrameLength
        && chunk.FrameOffset >= 0 && chunk.FrameOffset <= plaintextLength - chunk.FrameLength;
}
