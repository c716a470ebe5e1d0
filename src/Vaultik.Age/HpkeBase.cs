using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vaultik.Age;

/// <summary>
/// HPKE (RFC 9180) base mode, single-shot, with KDF HKDF-SHA256 (0x0001) and AEAD ChaCha20-Poly1305 (0x0003):
/// the key schedule from a KEM shared secret and <c>info</c>, then one Seal or Open at sequence number 0 with
/// empty associated data. The KEM is the caller's; only its id enters the suite id.
/// </summary>
internal static class HpkeBase
{
    private const ushort KdfHkdfSha256 = 0x0001;
    private const ushort AeadChaCha20Poly1305 = 0x0003;
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private static readonly byte[] Version = "HPKE-v1"u8.ToArray();

    public static byte[] Seal(ushort kemId, byte[] sharedSecret, string info, ReadOnlySpan<byte> plaintext)
    {
        var (key, nonce) = KeySchedule(kemId, sharedSecret, info);
        using var aead = new ChaCha20Poly1305(key);
        var output = new byte[plaintext.Length + AgePrimitives.TagSize];
        aead.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length));
        CryptographicOperations.ZeroMemory(key);
        return output;
    }

    /// <summary>The plaintext; null when the ciphertext does not authenticate.</summary>
    public static byte[]? Open(ushort kemId, byte[] sharedSecret, string info, ReadOnlySpan<byte> ciphertext)
    {
        var (key, nonce) = KeySchedule(kemId, sharedSecret, info);
        using var aead = new ChaCha20Poly1305(key);
        var plaintext = new byte[ciphertext.Length - AgePrimitives.TagSize];
        try
        {
            aead.Decrypt(nonce, ciphertext[..^AgePrimitives.TagSize], ciphertext[^AgePrimitives.TagSize..], plaintext);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static (byte[] Key, byte[] Nonce) KeySchedule(ushort kemId, byte[] sharedSecret, string info)
    {
        var suite = new byte[10];
        "HPKE"u8.CopyTo(suite);
        BinaryPrimitives.WriteUInt16BigEndian(suite.AsSpan(4), kemId);
        BinaryPrimitives.WriteUInt16BigEndian(suite.AsSpan(6), KdfHkdfSha256);
        BinaryPrimitives.WriteUInt16BigEndian(suite.AsSpan(8), AeadChaCha20Poly1305);

        // mode_base (0x00) ‖ psk_id_hash ‖ info_hash, with an empty psk and psk_id.
        byte[] context = [0x00, .. LabeledExtract(suite, [], "psk_id_hash", []), .. LabeledExtract(suite, [], "info_hash", Encoding.ASCII.GetBytes(info))];
        var secret = LabeledExtract(suite, sharedSecret, "secret", []);
        try
        {
            return (LabeledExpand(suite, secret, "key", context, KeySize), LabeledExpand(suite, secret, "base_nonce", context, NonceSize));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static byte[] LabeledExtract(byte[] suite, byte[] salt, string label, byte[] ikm)
    {
        byte[] labeled = [.. Version, .. suite, .. Encoding.ASCII.GetBytes(label), .. ikm];
        return HKDF.Extract(HashAlgorithmName.SHA256, labeled, salt);
    }

    private static byte[] LabeledExpand(byte[] suite, byte[] prk, string label, byte[] info, int length)
    {
        var labeled = new byte[2 + Version.Length + suite.Length + label.Length + info.Length];
        BinaryPrimitives.WriteUInt16BigEndian(labeled, (ushort)length);
        byte[] rest = [.. Version, .. suite, .. Encoding.ASCII.GetBytes(label), .. info];
        rest.CopyTo(labeled, 2);
        var output = new byte[length];
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, labeled);
        return output;
    }
}
