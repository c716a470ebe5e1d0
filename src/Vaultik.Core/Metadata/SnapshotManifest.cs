namespace Vaultik.Core.Metadata;

/// <summary>
/// The unencrypted manifest of a complete snapshot (docs/FORMAT.md, "Manifest"): who, when, counts, and
/// every blob it references, and its tags. Nothing about files.
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
    public const int CurrentFormatVersion = 4;

    /// <summary>The store formats whose snapshots this Vaultik reads (docs/FORMAT.md).</summary>
    public static readonly int[] ReadableFormatVersions = [2, 3, 4];

    /// <summary>The oldest store format this build reads (`vaultik --version` prints the range).</summary>
    public static int OldestReadableFormatVersion => ReadableFormatVersions.Min();

    /// <summary>
    /// The snapshot's tags, sorted and unique (<see cref="SnapshotTags"/>); none for manifests written before tags
    /// existed. Stored unencrypted: anyone who can list the store can read them.
    /// </summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Sum of the stored sizes of every referenced blob.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long CompressedSize => Blobs.Sum(b => b.Size);
}
