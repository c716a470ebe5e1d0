using System.Security.Cryptography;

namespace Vaultik.Age;

/// <summary>An age X25519 private key (<c>AGE-SECRET-KEY-1…</c>).</summary>
public sealed class X25519Identity : IIdentity
{
    private const string Hrp = "AGE-SECRET-KEY-";
    private readonly byte[] _secret;

    private X25519Identity(byte[] secret)
    {
        _secret = secret;
        Recipient = new X25519Recipient(AgePrimitives.X25519Public(secret));
    }

    public X25519Recipient Recipient { get; }

    /// <summary>A 32-byte key for <paramref name="purpose"/> derived from the secret (HKDF-SHA256): only the holder of this identity can compute it.</summary>
    public byte[] DeriveKey(string purpose) => AgePrimitives.Hkdf(_secret, [], "vaultik/" + purpose);

    public static X25519Identity Generate() => new(RandomNumberGenerator.GetBytes(32));

    public static X25519Identity Parse(string text)
    {
        if (text.Any(char.IsAsciiLetterLower))
        {
            throw new FormatException("an age secret key is upper case (AGE-SECRET-KEY-1…)");
        }

        var decoded = Bech32.Decode(text);
        if (decoded is not { Hrp: "age-secret-key-", Data.Length: 32 })
        {
            throw new FormatException("not a valid age X25519 secret key (AGE-SECRET-KEY-1…)");
        }

        return new X25519Identity(decoded.Value.Data);
    }

    byte[]? IIdentity.Unwrap(IReadOnlyList<Stanza> stanzas)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != X25519Recipient.StanzaType)
            {
                continue;
            }

            if (stanza.Arguments.Count != 1)
            {
                throw new AgeHeaderException("an X25519 stanza must have exactly one argument");
            }

            var share = AgeBase64.Decode(stanza.Arguments[0]);
            if (share is not { Length: 32 })
            {
                throw new AgeHeaderException("an X25519 stanza's share is not 32 bytes of canonical base64");
            }

            if (stanza.Body.Length != AgePrimitives.FileKeySize + AgePrimitives.TagSize)
            {
                throw new AgeHeaderException("an X25519 stanza's body is not a 16-byte wrapped file key");
            }

            var shared = AgePrimitives.X25519Shared(_secret, share)
                ?? throw new AgeHeaderException("an X25519 stanza's share is a low-order point");
            var wrapKey = AgePrimitives.Hkdf(shared, [.. share, .. Recipient.PublicKey], X25519Recipient.Info);
            var fileKey = AgePrimitives.OpenKey(wrapKey, stanza.Body);
            if (fileKey is not null)
            {
                return fileKey;
            }
        }

        return null;
    }

    public override string ToString() => Bech32.Encode(Hrp, _secret);
}
