using System.Security.Cryptography;
using System.Text;

namespace Vaultik.Age;

/// <summary>
/// The text header of an age file: version line, recipient stanzas, and the <c>---</c> MAC line. Parsing is
/// strict (canonical base64, 64-column body lines, LF only) and never reads past the header.
/// </summary>
internal sealed class AgeHeader
{
    internal const string VersionLine = "age-encryption.org/v1";
    private const int MaxHeaderBytes = 1 << 20;
    private const int BodyColumns = 64;

    private readonly byte[] _macInput;

    private AgeHeader(IReadOnlyList<Stanza> stanzas, byte[] mac, byte[] macInput, long length)
    {
        Stanzas = stanzas;
        Mac = mac;
        _macInput = macInput;
        Length = length;
    }

    public IReadOnlyList<Stanza> Stanzas { get; }

    public byte[] Mac { get; }

    /// <summary>Bytes of the header including the MAC line's newline: the offset of the payload nonce.</summary>
    public long Length { get; }

    /// <summary>Reads exactly the header from <paramref name="input"/>, leaving it positioned at the payload nonce.</summary>
    public static AgeHeader Read(Stream input)
    {
        var reader = new LineReader(input);
        if (reader.ReadLine() != VersionLine)
        {
            throw new AgeHeaderException("not an age v1 file (the first line is not 'age-encryption.org/v1')");
        }

        var stanzas = new List<Stanza>();
        while (true)
        {
            var line = reader.ReadLine();
            if (line.StartsWith("---", StringComparison.Ordinal))
            {
                var macInputLength = (int)reader.Consumed - line.Length - 1 + 3;
                if (!line.StartsWith("--- ", StringComparison.Ordinal))
                {
                    throw new AgeHeaderException("malformed MAC line");
                }

                var mac = AgeBase64.Decode(line[4..]);
                if (mac is not { Length: 32 })
                {
                    throw new AgeHeaderException("the header MAC is not 32 bytes of canonical base64");
                }

                return new AgeHeader(stanzas, mac, reader.Bytes[..macInputLength], reader.Consumed);
            }

            if (!line.StartsWith("-> ", StringComparison.Ordinal))
            {
                throw new AgeHeaderException("malformed header line (expected '-> ' or '---')");
            }

            var args = line[3..].Split(' ');
            foreach (var arg in args)
            {
                if (arg.Length == 0 || arg.Any(c => c is < (char)0x21 or > (char)0x7E))
                {
                    throw new AgeHeaderException("a stanza has an empty or invalid argument");
                }
            }

            stanzas.Add(new Stanza(args[0], args[1..], ReadBody(reader)));
        }
    }

    private static byte[] ReadBody(LineReader reader)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = reader.ReadLine();
            if (line.Length > BodyColumns)
            {
                throw new AgeHeaderException("a stanza body line is longer than 64 columns");
            }

            var bytes = AgeBase64.Decode(line) ?? throw new AgeHeaderException("a stanza body is not canonical base64");
            body.Write(bytes);
            if (line.Length < BodyColumns)
            {
                return body.ToArray();
            }
        }
    }

    /// <summary>
    /// Recovers the file key with the first identity that unwraps a stanza, then verifies the header MAC.
    /// </summary>
    public byte[] UnwrapFileKey(IEnumerable<IIdentity> identities)
    {
        if (Stanzas.Count == 0)
        {
            throw new AgeHeaderException("the header has no recipient stanzas");
        }

        if (Stanzas.Count > 1 && Stanzas.Any(s => s.Type == ScryptIdentity.StanzaType))
        {
            throw new AgeHeaderException("a scrypt stanza must be the only stanza");
        }

        foreach (var identity in identities)
        {
            var fileKey = identity.Unwrap(Stanzas);
            if (fileKey is null)
            {
                continue;
            }

            if (fileKey.Length != AgePrimitives.FileKeySize)
            {
                throw new AgeHeaderException("the unwrapped file key is not 16 bytes");
            }

            if (!CryptographicOperations.FixedTimeEquals(AgePrimitives.HeaderMac(fileKey, _macInput), Mac))
            {
                throw new AgeHeaderException("the header MAC does not verify (the header was modified)");
            }

            return fileKey;
        }

        throw new AgeNoIdentityMatchException();
    }

    /// <summary>Writes a header for <paramref name="stanzas"/> with its MAC under <paramref name="fileKey"/>.</summary>
    internal static void Write(Stream output, IReadOnlyList<Stanza> stanzas, ReadOnlySpan<byte> fileKey)
    {
        var text = new StringBuilder();
        text.Append(VersionLine).Append('\n');
        foreach (var stanza in stanzas)
        {
            text.Append("-> ").Append(stanza.Type);
            foreach (var arg in stanza.Arguments)
            {
                text.Append(' ').Append(arg);
            }

            text.Append('\n');
            var encoded = AgeBase64.Encode(stanza.Body);
            for (var i = 0; i <= encoded.Length; i += BodyColumns)
            {
                text.Append(encoded.AsSpan(i, Math.Min(BodyColumns, encoded.Length - i))).Append('\n');
            }
        }

        text.Append("---");
        var macInput = Encoding.ASCII.GetBytes(text.ToString());
        var mac = AgePrimitives.HeaderMac(fileKey, macInput);
        output.Write(macInput);
        output.Write(Encoding.ASCII.GetBytes(" " + AgeBase64.Encode(mac) + "\n"));
    }

    /// <summary>Reads LF-terminated ASCII lines one byte at a time, so nothing past the header is consumed.</summary>
    private sealed class LineReader(Stream input)
    {
        private readonly MemoryStream _all = new();

        public long Consumed => _all.Length;

        public byte[] Bytes => _all.ToArray();

        public string ReadLine()
        {
            var start = _all.Length;
            while (true)
            {
                var b = input.ReadByte();
                if (b < 0)
                {
                    throw new AgeHeaderException("the header ends before its MAC line");
                }

                if (_all.Length >= MaxHeaderBytes)
                {
                    throw new AgeHeaderException("the header is larger than 1 MiB");
                }

                if (b == '\n')
                {
                    _all.WriteByte((byte)b);
                    var line = _all.GetBuffer().AsSpan((int)start, (int)(_all.Length - start - 1));
                    return Encoding.ASCII.GetString(line);
                }

                if (b is < 0x20 or > 0x7E)
                {
                    throw new AgeHeaderException("the header contains a non-printable character");
                }

                _all.WriteByte((byte)b);
            }
        }
    }
}
