namespace Vaultik.Core.Metadata;

/// <summary>
/// The unencrypted manifest of a complete snapshot (docs/FORMAT.md, "Manifest"): who, when, counts, and
/// every blob it references. Nothing about files.
/// </summary>
public sealed record SnapshotManifest(
    int FormatVersion,
    string Id,
    string Hostname,
    string Name,
    DateTimeOffset Created,
    long FileCount,
    long TotalSize,
    string MetadataHash,
    long MetadataSize,
    IReadOnlyList<ManifestBlob> Blobs)
{
    public const int CurrentFormatVersion = 2;

    /// <summary>Sum of the stored sizes of every referenced blob.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long CompressedSize => Blobs.Sum(b => b.Size);
}
