namespace Vaultik.Age;

/// <summary>
/// age's ASCII armor: <c>-----BEGIN AGE ENCRYPTED FILE-----</c>, padded base64 in 64-column lines, the END line.
/// Decoding is strict (as the C2SP vectors require) and streaming; failures are <see cref="AgeHeaderException"/>s.
/// </summary>
public static class AgeArmor
{
    internal const string Begin = "-----BEGIN AGE ENCRYPTED FILE-----";
    internal const string End = "-----END AGE ENCRYPTED FILE-----";
    private const int MaxLeadingWhitespace = 1024;

    /// <summary>True when <paramref name="start"/> (after optional whitespace) begins with the armor line.</summary>
    public static bool IsArmored(ReadOnlySpan<byte> start)
    {
        var trimmed = start.TrimStart(" \t\r\n"u8);
        return trimmed.StartsWith("-----BEGIN"u8);
    }

    /// <summary>A stream of the decoded bytes of an armored age file.</summary>
    public static Stream Decode(Stream armored, bool leaveOpen = false) => new ArmorDecodeStream(armored, leaveOpen);

    /// <summary>A stream that armors what is written to it into <paramref name="output"/>; dispose it to write the END line.</summary>
    public static Stream Encode(Stream output, bool leaveOpen = false) => new ArmorEncodeStream(output, leaveOpen);

    /// <summary>
    /// Peeks at the start of <paramref name="input"/>: returns a stream of the binary age file, decoding
    /// armor when present. Bytes peeked are not lost.
    /// </summary>
    internal static Stream DetectAndDecode(Stream input, bool leaveOpen, out bool armored)
    {
        var peeked = new List<byte>();
        int b;
        while ((b = input.ReadByte()) >= 0)
        {
            peeked.Add((byte)b);
            if (b is not (' ' or '\t' or '\r' or '\n') || peeked.Count > MaxLeadingWhitespace)
            {
                break;
            }
        }

        for (var i = 0; i < 9 && (b = input.ReadByte()) >= 0; i++)
        {
            peeked.Add((byte)b);
        }

        var prefixed = new PrefixedStream(peeked.ToArray(), input, leaveOpen);
        armored = IsArmored(peeked.ToArray());
        return armored ? new ArmorDecodeStream(prefixed, leaveOpen: false) : prefixed;
    }
}
