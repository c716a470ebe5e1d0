using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace Vaultik.Age;

/// <summary>
/// SHA3-256 and SHAKE256 (FIPS 202) for the hybrid KEM: the platform's when OpenSSL provides them, otherwise
/// BouncyCastle's. Both give the same bytes; the choice is made once per process.
/// </summary>
internal static class Sha3
{
    private static readonly bool Platform = SHA3_256.IsSupported && System.Security.Cryptography.Shake256.IsSupported;

    /// <summary>True when the platform (OpenSSL) provides SHA-3; otherwise BouncyCastle does.</summary>
    public static bool UsesPlatform => Platform;

    public static byte[] Sha3_256(ReadOnlySpan<byte> data) => Platform ? SHA3_256.HashData(data) : PortableSha3_256(data);

    public static byte[] Shake256(ReadOnlySpan<byte> data, int length) =>
        Platform ? System.Security.Cryptography.Shake256.HashData(data, length) : PortableShake256(data, length);

    /// <summary>BouncyCastle's SHA3-256, used when the platform lacks it (internal for the equivalence test).</summary>
    internal static byte[] PortableSha3_256(ReadOnlySpan<byte> data)
    {
        var digest = new Sha3Digest(256);
        digest.BlockUpdate(data);
        var output = new byte[32];
        digest.DoFinal(output);
        return output;
    }

    /// <summary>BouncyCastle's SHAKE256, used when the platform lacks it (internal for the equivalence test).</summary>
    internal static byte[] PortableShake256(ReadOnlySpan<byte> data, int length)
    {
        var digest = new ShakeDigest(256);
        digest.BlockUpdate(data);
        var output = new byte[length];
        digest.OutputFinal(output);
        return output;
    }
}
