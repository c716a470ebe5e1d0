namespace Vaultik.Core.Index;

/// <summary>What the index remembers of a source file as last backed up: its stat fingerprint and chunk list.</summary>
public sealed record IndexedFile(long Size, long MtimeNs, long CtimeNs, ulong Inode, ulong Device, Hash256[] Chunks)
{
    /// <summary>Packs a chunk list as consecutive 32-byte digests (the index's storage form).</summary>
    public static byte[] PackChunks(IReadOnlyList<Hash256> chunks)
    {
        var bytes = new byte[chunks.Count * Hash256.Size];
        for (var i = 0; i < chunks.Count; i++)
        {
            chunks[i].WriteTo(bytes.AsSpan(i * Hash256.Size));
        }

        return bytes;
    }

    public static Hash256[] UnpackChunks(ReadOnlySpan<byte> bytes)
    {
        var chunks = new Hash256[bytes.Length / Hash256.Size];
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = new Hash256(bytes.Slice(i * Hash256.Size, Hash256.Size));
        }

        return chunks;
    }
}
