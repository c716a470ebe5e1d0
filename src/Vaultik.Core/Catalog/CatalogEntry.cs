using System.Diagnostics.CodeAnalysis;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Catalog;

/// <summary>
/// One snapshot directory under <c>metadata/</c> as the catalog sees it: its id (the directory's name), its
/// manifest when one could be read, <see cref="Written"/> (the store's LastModified of the manifest, or of the
/// directory's newest object when there is none), its <see cref="Status"/> with the <see cref="Reason"/> for
/// anything but complete, and the keys of the directory that were rewritten after they were first written.
/// Entries from <see cref="SnapshotCatalog.EntriesAsync"/> and <see cref="SnapshotCatalog.ReadHeadersAsync"/> hold
/// the manifest's header only (its <see cref="SnapshotManifest.Blobs"/> is empty; <see cref="BlobCount"/> and
/// <see cref="BlobBytes"/> say what it listed).
/// </summary>
public sealed record CatalogEntry(
    string Id,
    SnapshotManifest? Manifest,
    DateTimeOffset Written,
    CatalogStatus Status,
    string? Reason,
    IReadOnlyList<string> Tampered)
{
    /// <summary>How many blobs the manifest lists (0 without a manifest); read even when <see cref="Manifest"/> holds only its header.</summary>
    public long BlobCount { get; init; }

    /// <summary>The stored bytes of the blobs the manifest lists.</summary>
    public long BlobBytes { get; init; }

    /// <summary>Complete and not suspect: the only entries <c>latest</c> and keep rules consider.</summary>
    [MemberNotNullWhen(true, nameof(Manifest))]
    public bool IsTrusted => Status == CatalogStatus.Complete && Manifest is not null;

    /// <summary>Shown by <c>snapshot list</c>: complete or suspect.</summary>
    [MemberNotNullWhen(true, nameof(Manifest))]
    public bool IsListed => (Status is CatalogStatus.Complete or CatalogStatus.Suspect) && Manifest is not null;
}
