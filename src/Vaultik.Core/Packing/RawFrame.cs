using System.Buffers.Binary;

namespace Vaultik.Core.Packing;

/// <summary>
/// Writes a chunk as a zstd frame of Raw_Blocks (RFC 8878 §3.1.1): the magic number, a header with the
/// Single_Segment flag and the Frame_Content_Size, then the bytes as they are in blocks of at most 128 KiB,
/// each behind a 3-byte block header, the last one flagged. No checksum and no dictionary, like the frames
/// <see cref="ZstdSharp.Compressor"/> writes. Any zstd decoder (and <c>zstd -d</c>) reads it.
/// </summary>
internal static class RawFrame
{
    /// <summary>Block_Maximum_Size: the largest block a frame may hold.</summary>
    public const int MaxBlock = 128 << 10;

    private const uint Magic = 0xFD2FB528;

    private const byte SingleSegment = 1 << 5;

    /// <summary>The frame length of a chunk of <paramref name="plainLength"/> bytes stored raw.</summary>
    public static int Length(int plainLength) => HeaderLength(plainLength) + (3 * Blocks(plainLength)) + plainLength;

    /// <summary>Magic number, frame header descriptor and content size field.</summary>
    public static int HeaderLength(int plainLength) => 5 + ContentSizeBytes(plainLength);

    /// <summary>Blocks in the frame; an empty chunk still has one (empty, last) block.</summary>
    public static int Blocks(int plainLength) => Math.Max(1, (plainLength + MaxBlock - 1) / MaxBlock);

    /// <summary>Writes the frame of <paramref name="chunk"/> into <paramref name="frame"/>; returns its length.</summary>
    public static int Write(ReadOnlySpan<byte> chunk, Span<byte> frame)
    {
        var n = chunk.Length;
        var total = Length(n);
        if (frame.Length < total)
        {
            throw new ArgumentException($"cannot write a raw frame: {total} bytes needed, {frame.Length} given", nameof(frame));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(frame, Magic);
        var at = 5;
        switch (ContentSizeBytes(n))
        {
            case 1:
                frame[4] = SingleSegment;
                frame[at] = (byte)n;
                at += 1;
                break;
            case 2:
                frame[4] = (1 << 6) | SingleSegment;
                BinaryPrimitives.WriteUInt16LittleEndian(frame[at..], (ushort)(n - 256));
                at += 2;
                break;
            default:
                frame[4] = (2 << 6) | SingleSegment;
                BinaryPrimitives.WriteUInt32LittleEndian(frame[at..], (uint)n);
                at += 4;
                break;
        }

        var offset = 0;
        do
        {
            var size = Math.Min(MaxBlock, n - offset);
            var last = offset + size == n ? 1u : 0u;

            // Block_Header: bit 0 Last_Block, bits 1-2 Block_Type (0 = Raw_Block), bits 3-23 Block_Size.
            var header = ((uint)size << 3) | last;
            frame[at] = (byte)header;
            frame[at + 1] = (byte)(header >> 8);
            frame[at + 2] = (byte)(header >> 16);
            chunk.Slice(offset, size).CopyTo(frame[(at + 3)..]);
            at += 3 + size;
            offset += size;
        }
        while (offset < n);

        return at;
    }

    /// <summary>Frame_Content_Size field width with Single_Segment set: 1 byte to 255, 2 bytes (value − 256) to 65,791, else 4.</summary>
    private static int ContentSizeBytes(int plainLength) => plainLength switch
    {
        < 256 => 1,
        < 65536 + 256 => 2,
        _ => 4,
    };
}
