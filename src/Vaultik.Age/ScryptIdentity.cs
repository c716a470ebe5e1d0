using System.Globalization;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace Vaultik.Age;

/// <summary>An age passphrase (scrypt) identity. Work factors above <see cref="MaxLogN"/> are refused.</summary>
public sealed class ScryptIdentity : IIdentity
{
    internal const string StanzaType = "scrypt";
    internal const string SaltLabel = "age-encryption.org/v1/scrypt";
    public const int MaxLogN = 22;

    private readonly byte[] _passphrase;

    public ScryptIdentity(string passphrase) => _passphrase = Encoding.UTF8.GetBytes(passphrase);

    byte[]? IIdentity.Unwrap(IReadOnlyList<Stanza> stanzas)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != StanzaType)
            {
                continue;
            }

            if (stanzas.Count != 1)
            {
                throw new AgeHeaderException("a scrypt stanza must be the only stanza");
            }

            if (stanza.Arguments.Count != 2)
            {
                throw new AgeHeaderException("a scrypt stanza must have a salt and a work factor");
            }

            var salt = AgeBase64.Decode(stanza.Arguments[0]);
            if (salt is not { Length: 16 })
            {
                throw new AgeHeaderException("a scrypt stanza's salt is not 16 bytes of canonical base64");
            }

            var logN = ParseLogN(stanza.Arguments[1]);
            if (stanza.Body.Length != AgePrimitives.FileKeySize + AgePrimitives.TagSize)
            {
                throw new AgeHeaderException("a scrypt stanza's body is not a 16-byte wrapped file key");
            }

            var key = SCrypt.Generate(_passphrase, [.. Encoding.ASCII.GetBytes(SaltLabel), .. salt], 1 << logN, 8, 1, 32);
            return AgePrimitives.OpenKey(key, stanza.Body);
        }

        return null;
    }

    private static int ParseLogN(string text)
    {
        if (text.Length is 0 or > 2 || !text.All(char.IsAsciiDigit) || text[0] == '0'
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var logN))
        {
            throw new AgeHeaderException($"a scrypt stanza's work factor '{text}' is not a plain decimal number");
        }

        if (logN > MaxLogN)
        {
            throw new AgeHeaderException($"a scrypt work factor of {logN} is above the limit of {MaxLogN}");
        }

        return logN;
    }
}
