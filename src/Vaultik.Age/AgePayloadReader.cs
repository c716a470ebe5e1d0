using System.Security.Cryptography;

namespace Vaultik.Age;

/// <summary>
/// Random access to an age payload once its file key is known: decrypts any STREAM chunk on its own.
/// Chunk <c>i</c>'s ciphertext sits at <c>header.Length + 16 + i × 65552</c> in the file; the last chunk is
/// recognised from the payload length, so a range read needs only the chunks that cover it.
/// </summary>
internal sealed class AgePayloadReader : IDisposable
{
    public const int ChunkSize = AgePrimitives.ChunkSize;
    public const int EncryptedChunkSize = AgePrimitives.EncryptedChunkSize;

    private readonly ChaCha20Poly1305 _aead;
    private readonly long _payloadLength;

    /// <param name="fileKey">The 16-byte file key from the header.</param>
    /// <param name="payloadNonce">The 16 bytes that follow the header.</param>
    /// <param name="payloadLength">Bytes of ciphertext after the nonce (chunks and their tags).</param>
    public AgePayloadReader(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> payloadNonce, long payloadLength)
    {
        if (payloadNonce.Length != AgePrimitives.PayloadNonceSize)
        {
            throw new ArgumentException("the payload nonce is 16 bytes", nameof(payloadNonce));
        }

        var chunks = (payloadLength + EncryptedChunkSize - 1) / EncryptedChunkSize;
        var last = payloadLength - ((chunks - 1) * EncryptedChunkSize);
        if (payloadLength <= 0 || chunks > int.MaxValue || last < AgePrimitives.TagSize || (last == AgePrimitives.TagSize && chunks > 1))
        {
            throw new AgePayloadException($"a payload of {payloadLength} bytes is not a valid STREAM length");
        }

        _payloadLength = payloadLength;
        ChunkCount = checked((int)chunks);
        PlaintextLength = payloadLength - (chunks * AgePrimitives.TagSize);
        _aead = new ChaCha20Poly1305(AgePrimitives.PayloadKey(fileKey, payloadNonce));
    }

    public long PlaintextLength { get; }

    public int ChunkCount { get; }

    /// <summary>The STREAM chunks holding plaintext bytes [offset, offset + length).</summary>
    public static (long FirstChunk, int ChunkCount) ChunksCovering(long plainOffset, long plainLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plainOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(plainLength);
        var first = plainOffset / ChunkSize;
        var last = plainLength == 0 ? first : (plainOffset + plainLength - 1) / ChunkSize;
        return (first, checked((int)(last - first + 1)));
    }

    /// <summary>Offset of chunk <paramref name="chunkIndex"/>'s ciphertext, relative to the payload start (after the nonce).</summary>
    public long CiphertextOffsetOfChunk(long chunkIndex) => chunkIndex * EncryptedChunkSize;

    /// <summary>Ciphertext length of chunk <paramref name="chunkIndex"/> (the last one may be short).</summary>
    public int CiphertextLengthOfChunk(long chunkIndex) =>
        (int)Math.Min(EncryptedChunkSize, _payloadLength - CiphertextOffsetOfChunk(chunkIndex));

    /// <summary>Decrypts one chunk into <paramref name="plaintext"/>; returns its plaintext length.</summary>
    public int DecryptChunk(long chunkIndex, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunkIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chunkIndex, ChunkCount);
        if (ciphertext.Length != CiphertextLengthOfChunk(chunkIndex))
        {
            throw new AgePayloadException($"STREAM chunk {chunkIndex} has {ciphertext.Length} bytes, expected {CiphertextLengthOfChunk(chunkIndex)}");
        }

        return StreamChunks.Open(_aead, chunkIndex, chunkIndex == ChunkCount - 1, ciphertext, plaintext);
    }

    public void Dispose() => _aead.Dispose();
}
