using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Vaultik.Age;

/// <summary>
/// An age hybrid post-quantum private key (<c>AGE-SECRET-KEY-PQ-1…</c>): a 32-byte seed from which the
/// ML-KEM-768 and X25519 keys are derived (SHAKE256), as the age specification and its MLKEM768-X25519 KEM say.
/// </summary>
public sealed class MlKem768X25519Identity : IIdentity
{
    private const string Hrp = "AGE-SECRET-KEY-PQ-";
    private readonly byte[] _seed;
    private readonly MLKemPrivateKeyParameters _mlKem;
    private readonly byte[] _x25519Secret;
    private readonly byte[] _x25519Point;

    private MlKem768X25519Identity(byte[] seed)
    {
        _seed = seed;
        var (mlKem, x25519Secret, publicKey) = MlKem768X25519Kem.DeriveKeys(seed);
        _mlKem = mlKem;
        _x25519Secret = x25519Secret;
        _x25519Point = publicKey[MlKem768X25519Kem.MlKemPublicKeySize..];
        Recipient = new MlKem768X25519Recipient(publicKey);
    }

    public MlKem768X25519Recipient Recipient { get; }

    /// <summary>A 32-byte key for <paramref name="purpose"/> derived from the seed (HKDF-SHA256): only the holder of this identity can compute it.</summary>
    public byte[] DeriveKey(string purpose) => AgePrimitives.Hkdf(_seed, [], "vaultik/" + purpose);

    public static MlKem768X25519Identity Generate() => new(RandomNumberGenerator.GetBytes(MlKem768X25519Kem.SeedSize));

    public static MlKem768X25519Identity Parse(string text)
    {
        if (text.Any(char.IsAsciiLetterLower))
        {
            throw new FormatException("an age post-quantum secret key is upper case (AGE-SECRET-KEY-PQ-1…)");
        }

        var decoded = Bech32.Decode(text);
        if (decoded is not { Hrp: "age-secret-key-pq-", Data.Length: MlKem768X25519Kem.SeedSize })
        {
            throw new FormatException("not a valid age post-quantum secret key (AGE-SECRET-KEY-PQ-1…)");
        }

        return new MlKem768X25519Identity(decoded.Value.Data);
    }

    byte[]? IIdentity.Unwrap(IReadOnlyList<Stanza> stanzas)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != MlKem768X25519Recipient.StanzaType)
            {
                continue;
            }

            if (stanza.Arguments.Count != 1)
            {
                throw new AgeHeaderException("an mlkem768x25519 stanza must have exactly one argument");
            }

            var encapsulation = AgeBase64.Decode(stanza.Arguments[0]);
            if (encapsulation is not { Length: MlKem768X25519Kem.EncapsulationSize })
            {
                throw new AgeHeaderException("an mlkem768x25519 stanza's enc is not 1120 bytes of canonical base64");
            }

            if (stanza.Body.Length != AgePrimitives.FileKeySize + AgePrimitives.TagSize)
            {
                throw new AgeHeaderException("an mlkem768x25519 stanza's body is not a 16-byte wrapped file key");
            }

            var shared = MlKem768X25519Kem.Decapsulate(_mlKem, _x25519Secret, _x25519Point, encapsulation)
                ?? throw new AgeHeaderException("an mlkem768x25519 stanza's X25519 share is a low-order point");
            var fileKey = HpkeBase.Open(MlKem768X25519Kem.Id, shared, MlKem768X25519Recipient.Info, stanza.Body);
            CryptographicOperations.ZeroMemory(shared);
            if (fileKey is not null)
            {
                return fileKey;
            }
        }

        return null;
    }

    public override string ToString() => Bech32.Encode(Hrp, _seed);
}
