using System.Globalization;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Browse;

/// <summary>How <c>ls</c> (and its JSON) names an entry: its path with a leading '/', its type (a hard link is <c>hardlink</c>, its target the path it links to) and its mtime in RFC 3339 to the nanosecond.</summary>
public static class EntryText
{
    public const string TypeHardLink = "hardlink";

    public static string Path(string stored) => "/" + stored;

    public static string Type(SnapshotEntry entry) => entry.Type == MetadataSchema.TypeFile && entry.HardlinkTo is not null ? TypeHardLink : entry.Type;

    /// <summary>A symlink's text, a hard link's target path (with '/'), else null.</summary>
    public static string? LinkTarget(SnapshotEntry entry) =>
        entry.Type == MetadataSchema.TypeSymlink ? entry.LinkTarget : entry.HardlinkTo is { } to ? Path(to) : null;

    /// <summary><c>2026-11-24T22:15:30.123456789Z</c>.</summary>
    public static string Mtime(long ns)
    {
        var seconds = Math.DivRem(ns, 1_000_000_000L, out var fraction);
        if (fraction < 0)
        {
            fraction += 1_000_000_000L;
            seconds--;
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62135596800L, 253402300799L)).UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{time:yyyy-MM-ddTHH:mm:ss}.{fraction:D9}Z");
    }

    /// <summary>The mtime as a <see cref="DateTimeOffset"/> (to 100 ns), clamped to its range.</summary>
    public static DateTimeOffset MtimeOffset(long ns) =>
        DateTimeOffset.UnixEpoch.AddTicks(Math.Clamp(ns / 100, DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks));
}
