namespace Vaultik.Core.Index;

/// <summary>
/// What the index remembers of a source file as last backed up: its stat fingerprint and chunk list. The
/// chunk list is null when one of its chunks is no longer in the index (its blob was pruned): the file must
/// then be read again.
/// </summary>
public sealed record IndexedFile(long Size, long MtimeNs, long CtimeNs, ulong Inode, ulong Device, Hash256[]? Chunks)
{
    /// <summary>Packs a chunk list as consecutive 32-byte digests (how a snapshot stages it in its side database).</summary>
    public static byte[] PackChunks(IReadOnlyList<Hash256> chunks)
    {
        var bytes = new byte[chunks.Count * Hash256.Size];
        for (var i = 0; i < chunks.Count; i++)
        {
            chunks[i].WriteTo(bytes.AsSpan(i * Hash256.Size));
        }

        return bytes;
    }
}
