using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Vaultik.Age;

/// <summary>
/// The building blocks of age v1 on platform primitives (HKDF, HMAC, ChaCha20-Poly1305 from
/// System.Security.Cryptography) plus BouncyCastle's X25519, which .NET lacks.
/// </summary>
internal static class AgePrimitives
{
    public const int FileKeySize = 16;
    public const int PayloadNonceSize = 16;
    public const int TagSize = 16;
    public const int ChunkSize = 64 * 1024;
    public const int EncryptedChunkSize = ChunkSize + TagSize;

    public static byte[] Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, string info, int length = 32)
    {
        var output = new byte[length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, output, salt, Encoding.ASCII.GetBytes(info));
        return output;
    }

    public static byte[] HeaderMac(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> headerUpToDashes)
    {
        var key = Hkdf(fileKey, [], "header");
        return HMACSHA256.HashData(key, headerUpToDashes);
    }

    public static byte[] PayloadKey(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> nonce) => Hkdf(fileKey, nonce, "payload");

    /// <summary>Seals a file key under a wrapping key with the all-zero nonce (stanza bodies).</summary>
    public static byte[] SealKey(byte[] wrapKey, ReadOnlySpan<byte> fileKey)
    {
        using var aead = new ChaCha20Poly1305(wrapKey);
        var body = new byte[fileKey.Length + TagSize];
        aead.Encrypt(stackalloc byte[12], fileKey, body.AsSpan(0, fileKey.Length), body.AsSpan(fileKey.Length));
        return body;
    }

    /// <summary>Opens a stanza body; null when authentication fails.</summary>
    public static byte[]? OpenKey(byte[] wrapKey, ReadOnlySpan<byte> body)
    {
        using var aead = new ChaCha20Poly1305(wrapKey);
        var key = new byte[body.Length - TagSize];
        try
        {
            aead.Decrypt(stackalloc byte[12], body[..^TagSize], body[^TagSize..], key);
            return key;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    /// <summary>The STREAM nonce: 11-byte big-endian chunk counter, then 0x01 on the last chunk.</summary>
    public static void StreamNonce(long counter, bool last, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[3..11], counter);
        nonce[11] = last ? (byte)1 : (byte)0;
    }

    public static byte[] X25519Public(ReadOnlySpan<byte> secret)
    {
        var pub = new byte[32];
        BcX25519.ScalarMultBase(secret.ToArray(), 0, pub, 0);
        return pub;
    }

    /// <summary>X25519(secret, point); null when the result is the all-zero value (a low-order point).</summary>
    public static byte[]? X25519Shared(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> point)
    {
        var shared = new byte[32];
        return BcX25519.CalculateAgreement(secret.ToArray(), 0, point.ToArray(), 0, shared, 0) ? shared : null;
    }
}
