using System.Globalization;
using Vaultik.Core.Config;

namespace Vaultik.Core.Search;

/// <summary>
/// find's <c>--newer T</c> / <c>--older T</c>: an age as <c>snapshot purge --older-than</c> takes it (<c>12h</c>,
/// <c>30d</c>, <c>2w</c>, <c>6m</c>, <c>1y</c>: that long before now), or an ISO 8601 date or time
/// (<c>2026-11-24</c>, <c>2026-11-24T22:15:30Z</c>; without an offset, UTC).
/// </summary>
public static class SnapshotTime
{
    public static DateTimeOffset Parse(string text, string option, DateTimeOffset now)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var when)
            && text.Length >= 10 && text[4] == '-')
        {
            return when;
        }

        try
        {
            return now - DurationParser.ParseAge(text);
        }
        catch (Exception ex) when (ex is FormatException or ConfigurationException or OverflowException or ArgumentException)
        {
            throw new ConfigurationException($"cannot use {option} {text}: give an age (12h, 30d, 2w, 6m, 1y) or an ISO 8601 date or time (2026-11-24, 2026-11-24T22:15:30Z)", ex);
        }
    }
}
