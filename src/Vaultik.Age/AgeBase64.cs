using System.Buffers.Text;

namespace Vaultik.Age;

/// <summary>age's base64: the standard alphabet, no padding, and only the canonical encoding is accepted.</summary>
internal static class AgeBase64
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    /// <summary>Decodes unpadded canonical base64; null for anything else (padding, bad characters, non-zero spare bits).</summary>
    public static byte[]? Decode(string text)
    {
        if (text.Contains('=', StringComparison.Ordinal) || text.Length % 4 == 1)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/'))
            {
                return null;
            }
        }

        var padded = text + new string('=', (4 - (text.Length % 4)) % 4);
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(padded.Length)];
        if (!Convert.TryFromBase64String(padded, bytes, out var written))
        {
            return null;
        }

        var result = bytes.AsSpan(0, written).ToArray();
        return Encode(result) == text ? result : null;
    }
}
