namespace Vaultik.Core.Packing;

/// <summary>Where one chunk's zstd frame sits inside a blob's plaintext (docs/FORMAT.md, "Blob layout").</summary>
public readonly record struct PackedChunk(Hash256 Hash, long FrameOffset, int FrameLength, int PlainLength)
{
    public long FrameEnd => FrameOffset + FrameLength;
}
