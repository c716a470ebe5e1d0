using System.Diagnostics.CodeAnalysis;

namespace Vaultik.Age;

/// <summary>
/// An age hybrid post-quantum public key (<c>age1pq1…</c>): ML-KEM-768 with X25519 (X-Wing) through HPKE. It
/// only mixes with other post-quantum recipients: encrypting to it together with an X25519 or scrypt
/// recipient is refused, since the classic stanza would undo its protection against a quantum computer.
/// </summary>
public sealed class MlKem768X25519Recipient : IRecipient
{
    internal const string StanzaType = "mlkem768x25519";
    internal const string Info = "age-encryption.org/mlkem768x25519";
    private const string Hrp = "age1pq";
    private const int MlKemModulus = 3329;

    private readonly byte[] _publicKey;

    internal MlKem768X25519Recipient(byte[] publicKey) => _publicKey = publicKey;

    public static MlKem768X25519Recipient Parse(string text) =>
        TryParse(text, out var recipient) ? recipient : throw new FormatException($"'{text}' is not an age post-quantum recipient (age1pq1…)");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out MlKem768X25519Recipient? recipient)
    {
        recipient = null;
        if (text is null || text.Any(char.IsAsciiLetterUpper))
        {
            return false;
        }

        var decoded = Bech32.Decode(text);
        if (decoded is not { Hrp: Hrp, Data.Length: MlKem768X25519Kem.PublicKeySize } || !IsCanonicalMlKemKey(decoded.Value.Data))
        {
            return false;
        }

        recipient = new MlKem768X25519Recipient(decoded.Value.Data);
        return true;
    }

    IReadOnlyList<Stanza> IRecipient.Wrap(ReadOnlySpan<byte> fileKey)
    {
        var (shared, encapsulation) = MlKem768X25519Kem.Encapsulate(_publicKey);
        var body = HpkeBase.Seal(MlKem768X25519Kem.Id, shared, Info, fileKey);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
        return [new Stanza(StanzaType, [AgeBase64.Encode(encapsulation)], body)];
    }

    public override string ToString() => Bech32.Encode(Hrp, _publicKey);

    /// <summary>
    /// FIPS 203's encapsulation key check: every packed 12-bit coefficient of the ML-KEM part is below q = 3329
    /// (the last 32 bytes of that part are the seed ρ and are not checked).
    /// </summary>
    private static bool IsCanonicalMlKemKey(ReadOnlySpan<byte> key)
    {
        var packed = key[..(MlKem768X25519Kem.MlKemPublicKeySize - 32)];
        for (var i = 0; i < packed.Length; i += 3)
        {
            var low = packed[i] | ((packed[i + 1] & 0x0f) << 8);
            var high = (packed[i + 1] >> 4) | (packed[i + 2] << 4);
            if (low >= MlKemModulus || high >= MlKemModulus)
            {
                return false;
            }
        }

        return true;
    }
}
