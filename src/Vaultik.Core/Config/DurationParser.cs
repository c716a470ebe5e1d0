using System.Globalization;
using System.Text.RegularExpressions;

namespace Vaultik.Core.Config;

/// <summary>
/// Durations. <see cref="Parse"/> is for intervals: <c>s</c>, <c>m</c> (minutes), <c>h</c>, <c>d</c>, <c>w</c>.
/// <see cref="ParseAge"/> is for retention ages (<c>--older-than</c>): there <c>m</c> and <c>mo</c> mean
/// months (30 days), <c>min</c> minutes, and <c>y</c> years (365 days) — so <c>6m</c> reads as people mean it.
/// </summary>
public static partial class DurationParser
{
    public static TimeSpan Parse(string text) => ParseWith(text, months: false);

    public static TimeSpan ParseAge(string text) => ParseWith(text, months: true);

    private static TimeSpan ParseWith(string text, bool months)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success || match.Length == 0)
        {
            throw new FormatException($"'{text}' is not a duration (use e.g. 30s, 15m, 12h, 30d, 2w)");
        }

        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny("abcdefghijklmnopqrstuvwxyz".ToCharArray());
            var number = double.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            var unit = part.Value[unitStart..];
            total += unit switch
            {
                "s" => TimeSpan.FromSeconds(number),
                "min" => TimeSpan.FromMinutes(number),
                "m" => months ? TimeSpan.FromDays(30 * number) : TimeSpan.FromMinutes(number),
                "mo" => TimeSpan.FromDays(30 * number),
                "h" => TimeSpan.FromHours(number),
                "d" => TimeSpan.FromDays(number),
                "w" => TimeSpan.FromDays(7 * number),
                "y" => TimeSpan.FromDays(365 * number),
                _ => throw new FormatException($"'{text}' has an unknown unit '{unit}' (use s, m, h, d, w{(months ? ", mo, y" : string.Empty)})"),
            };
        }

        return total;
    }

    /// <summary>"1h 05m"-style text.</summary>
    public static string Format(TimeSpan span) => span.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours}h")
        : span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m {span.Seconds:00}s");

    [GeneratedRegex(@"^(?<part>[0-9]+(?:\.[0-9]+)?(?:min|mo|s|m|h|d|w|y))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
