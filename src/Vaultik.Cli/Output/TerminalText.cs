using System.Globalization;
using System.Text;

namespace Vaultik.Cli.Output;

/// <summary>
/// Makes text from the store or the file system safe to print on a terminal: C0 controls, DEL, C1 controls
/// (so every escape sequence) and lone surrogates (what invalid UTF-8 decodes to) are written as visible
/// escapes — <c>\n</c>, <c>\t</c>, <c>\r</c>, <c>\x1b</c>, <c>\u009b</c>. Text output only: --json prints exact
/// strings (its encoder escapes them already). Applied once, where a line is written (<see cref="ErrorWriter"/>,
/// <see cref="Table"/>, and verb lines that embed names), never twice.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string text)
    {
        var span = text.AsSpan();
        var i = 0;
        while (i < span.Length && !NeedsEscape(span, i))
        {
            i++;
        }

        if (i == span.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16).Append(span[..i]);
        for (; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                sb.Append(c).Append(span[++i]);
            }
            else if (!NeedsEscape(span, i))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append(c switch
                {
                    '\n' => @"\n",
                    '\t' => @"\t",
                    '\r' => @"\r",
                    < '\u0080' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                    _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                });
            }
        }

        return sb.ToString();
    }

    private static bool NeedsEscape(ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
        return c < ' ' || c is >= '\u007f' and <= '\u009f'
            || (char.IsHighSurrogate(c) && (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])))
            || (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1])));
    }
}
