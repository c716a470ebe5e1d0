using System.Security.Cryptography;

namespace Vaultik.Age;

/// <summary>Seals and opens single STREAM chunks (ChaCha20-Poly1305 with the counter/last-flag nonce).</summary>
internal static class StreamChunks
{
    public static int Seal(ChaCha20Poly1305 aead, long counter, bool last, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        Span<byte> nonce = stackalloc byte[12];
        AgePrimitives.StreamNonce(counter, last, nonce);
        aead.Encrypt(nonce, plaintext, ciphertext[..plaintext.Length], ciphertext.Slice(plaintext.Length, AgePrimitives.TagSize));
        return plaintext.Length + AgePrimitives.TagSize;
    }

    public static int Open(ChaCha20Poly1305 aead, long counter, bool last, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (ciphertext.Length < AgePrimitives.TagSize)
        {
            throw new AgePayloadException($"STREAM chunk {counter} is shorter than its tag");
        }

        var length = ciphertext.Length - AgePrimitives.TagSize;
        if (last && length == 0 && counter != 0)
        {
            throw new AgePayloadException("the last STREAM chunk is empty (only an empty payload may end that way)");
        }

        Span<byte> nonce = stackalloc byte[12];
        AgePrimitives.StreamNonce(counter, last, nonce);
        try
        {
            aead.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext[..length]);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new AgePayloadException($"STREAM chunk {counter} failed authentication (damaged, truncated or reordered data)", ex);
        }

        return length;
    }
}
