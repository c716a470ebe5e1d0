using System.Globalization;
using System.Text.RegularExpressions;

namespace Vaultik.Core.Config;

/// <summary>
/// Byte sizes as written in the config: a number (decimals allowed) and an optional unit, B, KiB, MiB, GiB,
/// TiB (powers of 1024) or KB, MB, GB, TB (powers of 1000); a plain integer is bytes.
/// </summary>
public static partial class ByteSize
{
    public static long Parse(string text) =>
        TryParse(text, out var bytes) ? bytes : throw new FormatException($"'{text}' is not a size (use e.g. 512MiB, 1GiB)");

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var match = Pattern().Match(text?.Trim() ?? string.Empty);
        if (!match.Success || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        decimal multiplier = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1m,
            "KIB" => 1024m,
            "MIB" => 1024m * 1024,
            "GIB" => 1024m * 1024 * 1024,
            "TIB" => 1024m * 1024 * 1024 * 1024,
            "KB" => 1000m,
            "MB" => 1000m * 1000,
            "GB" => 1000m * 1000 * 1000,
            "TB" => 1000m * 1000 * 1000 * 1000,
            _ => -1m,
        };
        if (multiplier < 0)
        {
            return false;
        }

        var value = number * multiplier;
        if (value > long.MaxValue || value != decimal.Truncate(value))
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }

    /// <summary>"1.5 GiB"-style text for people.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
