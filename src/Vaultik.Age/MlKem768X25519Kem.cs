using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Vaultik.Age;

/// <summary>
/// The MLKEM768-X25519 hybrid KEM (X-Wing) of draft-ietf-hpke-pq, HPKE KEM id 0x647a. A 32-byte seed expands
/// with SHAKE256 into an ML-KEM-768 seed (d‖z, 64 bytes) and an X25519 secret (32 bytes). The public key is
/// the ML-KEM encapsulation key then the X25519 point; the encapsulation is the ML-KEM ciphertext then the
/// ephemeral X25519 point; the shared secret is SHA3-256(ssMlKem ‖ ssX25519 ‖ ctX25519 ‖ pkX25519 ‖ label).
/// ML-KEM and X25519 come from BouncyCastle.
/// </summary>
internal static class MlKem768X25519Kem
{
    public const ushort Id = 0x647a;
    public const int SeedSize = 32;
    public const int MlKemPublicKeySize = 1184;
    public const int MlKemCiphertextSize = 1088;
    public const int X25519Size = 32;
    public const int PublicKeySize = MlKemPublicKeySize + X25519Size;
    public const int EncapsulationSize = MlKemCiphertextSize + X25519Size;
    private const int MlKemSeedSize = 64;

    // The X-Wing label, the six ASCII characters \./ and /^\ .
    private static readonly byte[] Label = [0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c];

    /// <summary>The decapsulation keys derived from <paramref name="seed"/>, and the public key they belong to.</summary>
    public static (MLKemPrivateKeyParameters MlKem, byte[] X25519Secret, byte[] PublicKey) DeriveKeys(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException("an MLKEM768-X25519 seed is 32 bytes", nameof(seed));
        }

        var expanded = Sha3.Shake256(seed, MlKemSeedSize + X25519Size);
        try
        {
            var mlKem = MLKemPrivateKeyParameters.FromSeed(MLKemParameters.ml_kem_768, expanded[..MlKemSeedSize]);
            var x25519Secret = expanded[MlKemSeedSize..];
            byte[] publicKey = [.. mlKem.GetPublicKeyEncoded(), .. AgePrimitives.X25519Public(x25519Secret)];
            return (mlKem, x25519Secret, publicKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
        }
    }

    /// <summary>A fresh shared secret for <paramref name="publicKey"/> and its encapsulation.</summary>
    public static (byte[] SharedSecret, byte[] Encapsulation) Encapsulate(ReadOnlySpan<byte> publicKey)
    {
        var mlKemPublic = MLKemPublicKeyParameters.FromEncoding(MLKemParameters.ml_kem_768, publicKey[..MlKemPublicKeySize].ToArray());
        var recipientPoint = publicKey[MlKemPublicKeySize..];
        var encapsulator = new MLKemEncapsulator(MLKemParameters.ml_kem_768);
        encapsulator.Init(new ParametersWithRandom(mlKemPublic, new SecureRandom()));
        var encapsulation = new byte[EncapsulationSize];
        var mlKemShared = new byte[32];
        encapsulator.Encapsulate(encapsulation, 0, MlKemCiphertextSize, mlKemShared, 0, mlKemShared.Length);

        var ephemeral = RandomNumberGenerator.GetBytes(X25519Size);
        try
        {
            var ephemeralPoint = AgePrimitives.X25519Public(ephemeral);
            var x25519Shared = AgePrimitives.X25519Shared(ephemeral, recipientPoint)
                ?? throw new AgeException("cannot encrypt to this recipient: its X25519 part is a low-order point");
            ephemeralPoint.CopyTo(encapsulation, MlKemCiphertextSize);
            return (Combine(mlKemShared, x25519Shared, ephemeralPoint, recipientPoint), encapsulation);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
            CryptographicOperations.ZeroMemory(mlKemShared);
        }
    }

    /// <summary>
    /// The shared secret in <paramref name="encapsulation"/>; null when its X25519 part gives the all-zero value
    /// (a low-order point). A mismatched ML-KEM ciphertext is not detected here: ML-KEM rejects implicitly, so
    /// it yields a secret that fails later, at the AEAD.
    /// </summary>
    public static byte[]? Decapsulate(MLKemPrivateKeyParameters mlKem, byte[] x25519Secret, ReadOnlySpan<byte> ownPoint, ReadOnlySpan<byte> encapsulation)
    {
        if (encapsulation.Length != EncapsulationSize)
        {
            throw new ArgumentException("an MLKEM768-X25519 encapsulation is 1120 bytes", nameof(encapsulation));
        }

        var decapsulator = new MLKemDecapsulator(MLKemParameters.ml_kem_768);
        decapsulator.Init(mlKem);
        var mlKemShared = new byte[32];
        decapsulator.Decapsulate(encapsulation[..MlKemCiphertextSize].ToArray(), 0, MlKemCiphertextSize, mlKemShared, 0, mlKemShared.Length);
        var ephemeralPoint = encapsulation[MlKemCiphertextSize..];
        var x25519Shared = AgePrimitives.X25519Shared(x25519Secret, ephemeralPoint);
        try
        {
            return x25519Shared is null ? null : Combine(mlKemShared, x25519Shared, ephemeralPoint, ownPoint);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mlKemShared);
        }
    }

    private static byte[] Combine(byte[] mlKemShared, byte[] x25519Shared, ReadOnlySpan<byte> ephemeralPoint, ReadOnlySpan<byte> recipientPoint)
    {
        byte[] input = [.. mlKemShared, .. x25519Shared, .. ephemeralPoint, .. recipientPoint, .. Label];
        try
        {
            return Sha3.Sha3_256(input);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(x25519Shared);
        }
    }
}
