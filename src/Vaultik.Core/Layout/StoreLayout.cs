using System.Text;

namespace Vaultik.Core.Layout;

/// <summary>The object keys of docs/FORMAT.md, "Remote layout".</summary>
public static class StoreLayout
{
    public const string BlobsPrefix = "blobs/";
    public const string MetadataPrefix = "metadata/";
    public const string LocksPrefix = "locks/";
    public const string MetadataFileName = "db.zst.age";
    public const string ManifestFileName = "manifest.json.zst";

    public static string BlobKey(Hash256 hash)
    {
        var hex = hash.ToString();
        return $"{BlobsPrefix}{hex[..2]}/{hex[2..4]}/{hex}";
    }

    /// <summary>Reads a blob hash back from its key; false for keys that are not well-formed blob keys.</summary>
    public static bool TryParseBlobKey(string key, out Hash256 hash)
    {
        hash = default;
        if (!key.StartsWith(BlobsPrefix, StringComparison.Ordinal) || key.Length != BlobsPrefix.Length + 6 + 64)
        {
            return false;
        }

        var hex = key[(BlobsPrefix.Length + 6)..];
        return key[BlobsPrefix.Length + 2] == '/' && key[BlobsPrefix.Length + 5] == '/'
            && string.CompareOrdinal(key, BlobsPrefix.Length, hex, 0, 2) == 0
            && string.CompareOrdinal(key, BlobsPrefix.Length + 3, hex, 2, 2) == 0
            && Hash256.TryParse(hex, out hash);
    }

    public static string MetadataKey(string snapshotId) => $"{MetadataPrefix}{snapshotId}/{MetadataFileName}";

    public static string ManifestKey(string snapshotId) => $"{MetadataPrefix}{snapshotId}/{ManifestFileName}";

    public static string LockKey(string lockId) => $"{LocksPrefix}{lockId}.json";

    /// <summary>Lease number <paramref name="sequence"/> of a lock (docs/FORMAT.md "Locks"): zero-padded, so keys sort by number.</summary>
    public static string LockLeaseKey(string lockId, long sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{LocksPrefix}{lockId}/{sequence:D8}.json");

    /// <summary>A name made safe as part of a key: lowercases and replaces every character outside <c>[a-z0-9._]</c> with '_'.</summary>
    public static string SafeSegment(string part)
    {
        var sb = new StringBuilder(part.Length);
        foreach (var ch in part.ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '.' or '_' ? ch : '_');
        }

        return sb.Length == 0 ? "_" : sb.ToString();
    }
}
