using System.Buffers.Binary;
using Vaultik.Core.Packing;
using Vaultik.Tests.Fuzz;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Core.Tests.Fuzz;

/// <summary>
/// The blob fuzz input as bytes, so a failing case saves as one file: a mode byte (bit 0 set: the payload is
/// the blob's plaintext frames, encrypted afresh to the fuzz identity; clear: the payload is the stored age
/// file), the stored size the metadata claims as a delta from the real size (8 bytes), the chunk count
/// (4 bytes, at most 64 used), per chunk its hash (32), frame offset (8), frame length (4) and plain length
/// (4), then the payload. All little-endian.
/// </summary>
internal sealed record BlobFuzzInput(byte[] Blob, long ClaimedSize, IReadOnlyList<PackedChunk> Chunks)
{
    private const int ChunkBytes = 32 + 8 + 4 + 4;

    public static BlobFuzzInput? Decode(byte[] input)
    {
        if (input.Length < 13)
        {
            return null;
        }

        var encrypt = (input[0] & 1) == 1;
        var delta = BinaryPrimitives.ReadInt64LittleEndian(input.AsSpan(1));
        var count = (int)(BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(9)) % 65);
        var at = 13;
        var chunks = new List<PackedChunk>();
        for (var i = 0; i < count && at + ChunkBytes <= input.Length; i++, at += ChunkBytes)
        {
            var s = input.AsSpan(at);
            chunks.Add(new PackedChunk(new Hash256(s[..32]), BinaryPrimitives.ReadInt64LittleEndian(s[32..]),
                BinaryPrimitives.ReadInt32LittleEndian(s[40..]), BinaryPrimitives.ReadInt32LittleEndian(s[44..])));
        }

        var payload = input[Math.Min(at, input.Length)..];
        var blob = encrypt ? Encrypt(payload) : payload;
        return new BlobFuzzInput(blob, unchecked(blob.Length + delta), chunks);
    }

    /// <summary>Chunks of the given lengths packed as BlobWriter packs them, as a plaintext-mode input.</summary>
    public static byte[] Pack(params int[] lengths)
    {
        using var codec = new ChunkCodec(3);
        var frames = new MemoryStream();
        var table = new MemoryStream();
        Span<byte> field = stackalloc byte[8];
        foreach (var length in lengths)
        {
            var plain = new byte[length];
            new Random(length).NextBytes(plain.AsSpan(0, length / 2));
            var frame = new byte[ChunkCodec.MaxFrameLength(length)];
            var n = codec.Compress(plain, frame);
            table.Write(Hash256.Compute(plain).ToArray());
            BinaryPrimitives.WriteInt64LittleEndian(field, frames.Length);
            table.Write(field);
            BinaryPrimitives.WriteInt32LittleEndian(field, n);
            table.Write(field[..4]);
            BinaryPrimitives.WriteInt32LittleEndian(field, length);
            table.Write(field[..4]);
            frames.Write(frame, 0, n);
        }

        var header = new byte[13];
        header[0] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(9), lengths.Length);
        return [.. header, .. table.ToArray(), .. frames.ToArray()];
    }

    /// <summary>The same input with its plaintext payload replaced by the stored (encrypted) blob.</summary>
    public static byte[] Sealed(byte[] plaintextInput)
    {
        var decoded = Decode(plaintextInput)!;
        var tableEnd = 13 + (decoded.Chunks.Count * ChunkBytes);
        var header = plaintextInput[..tableEnd];
        header[0] = 0;
        return [.. header, .. decoded.Blob];
    }

    private static byte[] Encrypt(byte[] plaintext)
    {
        using var output = new MemoryStream();
        using (var age = AgeFile.Encrypt(output, [FuzzKeys.Identity.Recipient], leaveOpen: true))
        {
            age.Write(plaintext);
        }

        return output.ToArray();
    }
}
