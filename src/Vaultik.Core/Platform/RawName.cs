using System.Buffers;
using System.Globalization;
using System.Text;

namespace Vaultik.Core.Platform;

/// <summary>
/// Vaultik's one internal form of a Linux name or path, which is a byte string: a .NET string holding the
/// bytes' UTF-8 text, where a byte that is not part of a valid UTF-8 sequence is written <c>\xHH</c> (two
/// lowercase hex digits) and a literal backslash <c>\\</c>. <see cref="Escape"/> is total and
/// <see cref="Unescape"/> inverts it exactly, so every byte string round-trips and the escaped form of a
/// valid UTF-8 name without backslashes is the name itself (docs/FORMAT.md, "Names").
/// <see cref="Unescape"/> also reads what a user types from a displayed name: <c>\n</c>, <c>\t</c>,
/// <c>\r</c>, <c>\uXXXX</c>, and a backslash before anything else stands for itself.
/// </summary>
public static class RawName
{
    /// <summary>The escaped form of <paramref name="bytes"/> (no NUL expected: Linux names cannot hold one).</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        if (IsPlain(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var sb = new StringBuilder(bytes.Length + 16);
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status == OperationStatus.Done)
            {
                if (rune.Value == '\\')
                {
                    sb.Append('\\');
                }

                sb.Append(rune.ToString());
            }
            else
            {
                for (var i = 0; i < consumed; i++)
                {
                    sb.Append(@"\x").Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
                }
            }

            bytes = bytes[consumed..];
        }

        return sb.ToString();
    }

    /// <summary>The escaped form of a .NET string taken as text (its UTF-8 bytes): backslashes doubled.</summary>
    public static string EscapeText(string text) => Escape(Encoding.UTF8.GetBytes(text));

    /// <summary>The bytes <paramref name="escaped"/> stands for.</summary>
    public static byte[] Unescape(string escaped)
    {
        if (!escaped.Contains('\\', StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(escaped);
        }

        var output = new ArrayBufferWriter<byte>(escaped.Length + 8);
        Write(escaped, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The canonical escaped form of what <paramref name="typed"/> stands for (a name as a user may type it).</summary>
    public static string Canonical(string typed) => typed.Contains('\\', StringComparison.Ordinal) ? Escape(Unescape(typed)) : typed;

    /// <summary>How many bytes the name stands for.</summary>
    public static int ByteCount(string escaped) =>
        escaped.Contains('\\', StringComparison.Ordinal) ? Unescape(escaped).Length : Encoding.UTF8.GetByteCount(escaped);

    /// <summary>Writes the bytes <paramref name="escaped"/> stands for.</summary>
    public static void Write(ReadOnlySpan<char> escaped, IBufferWriter<byte> output)
    {
        Span<byte> one = stackalloc byte[4];
        var i = 0;
        while (i < escaped.Length)
        {
            var next = escaped[i..].IndexOf('\\');
            var plain = next < 0 ? escaped[i..] : escaped.Slice(i, next);
            if (!plain.IsEmpty)
            {
                var count = Encoding.UTF8.GetBytes(plain, output.GetSpan(Encoding.UTF8.GetMaxByteCount(plain.Length)));
                output.Advance(count);
            }

            if (next < 0)
            {
                return;
            }

            i += next;
            var (written, spanned) = EscapeAt(escaped, i, one);
            output.Write(one[..written]);
            i += spanned;
        }
    }

    /// <summary>Writes the bytes of the escape at <paramref name="at"/> (a backslash) to <paramref name="buffer"/>: how many, and how many characters it spans.</summary>
    private static (int Written, int Spanned) EscapeAt(ReadOnlySpan<char> text, int at, Span<byte> buffer)
    {
        var rest = text[(at + 1)..];
        buffer[0] = (byte)'\\';
        if (rest.IsEmpty)
        {
            return (1, 1);
        }

        switch (rest[0])
        {
            case '\\':
                return (1, 2);
            case 'n' or 't' or 'r':
                buffer[0] = rest[0] switch { 'n' => (byte)'\n', 't' => (byte)'\t', _ => (byte)'\r' };
                return (1, 2);
            case 'x' when rest.Length >= 3 && IsHex(rest.Slice(1, 2)):
                buffer[0] = byte.Parse(rest.Slice(1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                return (1, 4);
            case 'u' when rest.Length >= 5 && IsHex(rest.Slice(1, 4))
                && Rune.TryCreate(int.Parse(rest.Slice(1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture), out var rune):
                return (rune.EncodeToUtf8(buffer), 6);
            default:
                return (1, 1);
        }
    }

    private static bool IsHex(ReadOnlySpan<char> digits) => !digits.ContainsAnyExcept("0123456789abcdefABCDEF");

    /// <summary>Valid UTF-8 without a backslash: the escaped form is the text itself.</summary>
    private static bool IsPlain(ReadOnlySpan<byte> bytes) => !bytes.Contains((byte)'\\') && System.Text.Unicode.Utf8.IsValid(bytes);
}
