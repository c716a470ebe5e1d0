using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Vaultik.Core.Layout;

/// <summary>
/// A snapshot id: <c>YYYY-MM-DD-HHMMSS-&lt;hostname&gt;-&lt;name&gt;-&lt;xxxx&gt;</c> (docs/FORMAT.md). Sorts
/// chronologically to the second, is safe in file names and S3 keys, and differs between two snapshots
/// taken in the same second thanks to its four random hex digits.
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
        Span<byte> random = stackalloc byte[2];
        RandomNumberGenerator.Fill(random);
        var value = string.Create(CultureInfo.InvariantCulture,
            $"{createdUtc.UtcDateTime:yyyy-MM-dd-HHmmss}-{StoreLayout.SafeSegment(hostname)}-{StoreLayout.SafeSegment(name)}-{Convert.ToHexStringLower(random)}");
        return new SnapshotId(value);
    }

    public static SnapshotId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a snapshot id");

    public static bool TryParse([NotNullWhen(true)] string? text, out SnapshotId id)
    {
        id = default;
        if (text is null || text.Length > 200 || !Pattern().IsMatch(text))
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

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}-\d{6}-[a-z0-9._]+-[a-z0-9._]+-[0-9a-f]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
