using System.Globalization;

namespace Vaultik.Cli.Output;

/// <summary>Human formatting of sizes, rates and durations.</summary>
internal static class Format
{
    public static string Bytes(long bytes) => Core.Config.ByteSize.Format(bytes);

    public static string Rate(long bytes, TimeSpan elapsed) =>
        elapsed.TotalSeconds <= 0 ? "-" : Bytes((long)(bytes / elapsed.TotalSeconds)) + "/s";

    public static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m {span.Seconds:00}s")
        : span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.00}s");

    /// <summary>A retention period as the config spells it: <c>30d</c>, <c>12h</c>, <c>15m</c> or <c>90s</c>.</summary>
    public static string Period(TimeSpan span) => span.Ticks % TimeSpan.TicksPerDay == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalDays}d")
        : span.Ticks % TimeSpan.TicksPerHour == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}h")
            : span.Ticks % TimeSpan.TicksPerMinute == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalMinutes}m")
                : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###}s");

    /// <summary>A moment in UTC, to the second: <c>2026-12-01 12:00:35Z</c>.</summary>
    public static string Utc(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
