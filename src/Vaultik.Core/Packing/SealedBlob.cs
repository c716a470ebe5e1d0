namespace Vaultik.Core.Packing;

/// <summary>
/// A finished blob waiting in a local temporary file to be uploaded: its hash (SHA-256 of the encrypted
/// bytes), its stored size and the chunks it holds.
/// </summary>
public sealed record SealedBlob(Hash256 Hash, long Size, string TempPath, IReadOnlyList<PackedChunk> Chunks)
{
    /// <summary>Bytes of chunk plaintext the blob carries.</summary>
    public long PlainBytes => Chunks.Sum(c => (long)c.PlainLength);
}
