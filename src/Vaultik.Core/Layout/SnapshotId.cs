using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Vaultik.Core.Layout;

/// <summary>
/// A snapshot id: <c>YYYY-MM-DD-HHMMSS-&lt;hostname&gt;-&lt;name&gt;-&lt;xxxxxxxx&gt;</c> (docs/FORMAT.md). Sorts
/// chronologically to the second, is safe in file names and S3 keys, and differs between two snapshots
/// taken in the same second thanks to its eight random hex digits (32 bits: 50 ids in one second collide
/// with odds of 3 in 10 million, and a collision is caught by the create-only write and retried with a new
/// id). Ids of stores written before 2026-12-01 end in four hex digits and still parse.
/// </summary>
public readonly partial record struct SnapshotId
{
    private SnapshotId(string value) => Value = value;

    public string Value { get; }

    /// <summary>The UTC second the snapshot started, read back from the id.</summary>
    public DateTimeOffset Timestamp =>
        DateTimeOffset.ParseExact(Value[..17], "yyyy-MM-dd-HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static SnapshotId Create(DateTimeOffset createdUtc, string hostname, string name)
    {
        Span<byte> random = stackalloc byte[4];
        RandomNumberGenerator.Fill(random);
        var value = string.Create(CultureInfo.InvariantCulture,
            $"{createdUtc.UtcDateTime:yyyy-MM-dd-HHmmss}-{StoreLayout.SafeSegment(hostname)}-{StoreLayout.SafeSegment(name)}-{Convert.ToHexStringLower(random)}");
        return new SnapshotId(value);
    }

    /// <summary>The longest id <see cref="TryParse"/> accepts.</summary>
    public const int MaxLength = 200;

    /// <summary>Characters of an id that are not the hostname or the name: timestamp, three dashes, eight hex digits.</summary>
    private const int FixedLength = 28;

    /// <summary>The most characters hostname and name (as stored: <see cref="StoreLayout.SafeSegment"/>) may have together.</summary>
    public const int MaxHostAndName = MaxLength - FixedLength;

    /// <summary>
    /// Whether an id made from <paramref name="hostname"/> and <paramref name="name"/> would parse again; when not,
    /// <paramref name="reason"/> says why (callers refuse such a configuration before anything is written).
    /// </summary>
    public static bool FitsId(string hostname, string name, [NotNullWhen(false)] out string? reason)
    {
        var length = FixedLength + StoreLayout.SafeSegment(hostname).Length + StoreLayout.SafeSegment(name).Length;
        if (length > MaxLength || !TryParse(Create(DateTimeOffset.UnixEpoch, hostname, name).Value, out _))
        {
            reason = $"a snapshot id of hostname ({hostname.Length} characters) and name '{(name.Length > 64 ? name[..64] + "…" : name)}' would be {length} characters, "
                + $"longer than the {MaxLength} an id may have (hostname and name together at most {MaxLength - FixedLength})";
            return false;
        }

        reason = null;
        return true;
    }

    public static SnapshotId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a snapshot id");

    public static bool TryParse([NotNullWhen(true)] string? text, out SnapshotId id)
    {
        id = default;
        if (text is null || text.Length > MaxLength || !Pattern().IsMatch(text))
        {
            return false;
        }

        if (!DateTime.TryParseExact(text[..17], "yyyy-MM-dd-HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return false;
        }

        id = new SnapshotId(text);
        return true;
    }

    public override string ToString() => Value ?? string.Empty;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}-\d{6}-[a-z0-9._]+-[a-z0-9._]+-(?:[0-9a-f]{4}|[0-9a-f]{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
