using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace Vaultik.Age;

/// <summary>An age passphrase recipient (scrypt, work factor 2^logN; age's default is 18).</summary>
public sealed class ScryptRecipient : IRecipient
{
    private readonly byte[] _passphrase;
    private readonly int _logN;

    public ScryptRecipient(string passphrase, int logN = 18)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(logN, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(logN, ScryptIdentity.MaxLogN);
        _passphrase = Encoding.UTF8.GetBytes(passphrase);
        _logN = logN;
    }

    IReadOnlyList<Stanza> IRecipient.Wrap(ReadOnlySpan<byte> fileKey)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var key = SCrypt.Generate(_passphrase, [.. Encoding.ASCII.GetBytes(ScryptIdentity.SaltLabel), .. salt], 1 << _logN, 8, 1, 32);
        return [new Stanza(ScryptIdentity.StanzaType, [AgeBase64.Encode(salt), _logN.ToString(CultureInfo.InvariantCulture)], AgePrimitives.SealKey(key, fileKey))];
    }
}
