using System.Text;

namespace Vaultik.Cli.Docs;

/// <summary>Escaping for man(7) roff text: plain ASCII out, whatever the input.</summary>
internal static class Roff
{
    /// <summary>
    /// Text safe on a roff line: backslashes and hyphens escaped, a leading '.' or '\'' guarded, and every
    /// non-ASCII character as a \[uXXXX] glyph (so groff needs no input encoding).
    /// </summary>
    public static string Escape(string text)
    {
        var s = new StringBuilder();
        foreach (var rune in text.ReplaceLineEndings(" ").EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\\': s.Append("\\e"); break;
                case '-': s.Append("\\-"); break;
                case < 128: s.Append((char)rune.Value); break;
                default: s.Append("\\[u").Append(rune.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)).Append(']'); break;
            }
        }

        var line = s.ToString();
        return line.StartsWith('.') || line.StartsWith('\'') ? "\\&" + line : line;
    }
}
