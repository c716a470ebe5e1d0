using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Vaultik.Age;

/// <summary>An age X25519 public key (<c>age1…</c>): encrypts file keys that only its identity can unwrap.</summary>
public sealed class X25519Recipient : IRecipient
{
    internal const string StanzaType = "X25519";
    internal const string Info = "age-encryption.org/v1/X25519";
    private const string Hrp = "age";

    private readonly byte[] _publicKey;

    internal X25519Recipient(byte[] publicKey) => _publicKey = publicKey;

    internal ReadOnlySpan<byte> PublicKey => _publicKey;

    public static X25519Recipient Parse(string text) =>
        TryParse(text, out var recipient) ? recipient : throw new FormatException($"'{text}' is not an age X25519 recipient (age1…)");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out X25519Recipient? recipient)
    {
        recipient = null;
        if (text is null || text.Any(char.IsAsciiLetterUpper))
        {
            return false;
        }

        var decoded = Bech32.Decode(text);
        if (decoded is not { Hrp: Hrp, Data.Length: 32 })
        {
            return false;
        }

        recipient = new X25519Recipient(decoded.Value.Data);
        return true;
    }

    IReadOnlyList<Stanza> IRecipient.Wrap(ReadOnlySpan<byte> fileKey)
    {
        var ephemeral = RandomNumberGenerator.GetBytes(32);
        try
        {
            var share = AgePrimitives.X25519Public(ephemeral);
            var shared = AgePrimitives.X25519Shared(ephemeral, _publicKey)
                ?? throw new AgeException("cannot encrypt to this recipient: it is a low-order point");
            var wrapKey = AgePrimitives.Hkdf(shared, [.. share, .. _publicKey], Info);
            return [new Stanza(StanzaType, [AgeBase64.Encode(share)], AgePrimitives.SealKey(wrapKey, fileKey))];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
        }
    }

    public override string ToString() => Bech32.Encode(Hrp, _publicKey);
}
