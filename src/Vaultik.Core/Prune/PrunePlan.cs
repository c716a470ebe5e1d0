using Vaultik.Core.Storage;

namespace Vaultik.Core.Prune;

/// <summary>
/// What a prune would delete, decided before anything is deleted: blobs no complete snapshot references
/// and that are older than the grace period, and the metadata of incomplete snapshots older than it.
/// <see cref="Retained"/> lists those of them Object Lock still retains (set aside by
/// <see cref="Pruner.HoldBackRetainedAsync"/>, and then in neither delete list).
/// </summary>
public sealed record PrunePlan(
    IReadOnlyList<ObjectInfo> BlobsToDelete,
    IReadOnlyList<ObjectInfo> MetadataToDelete,
    int BlobsKeptForGrace,
    long BlobsReferenced,
    long BytesReferenced)
{
    public IReadOnlyList<RetainedObject> Retained { get; init; } = [];

    public long BytesToFree => BlobsToDelete.Sum(b => b.Size) + MetadataToDelete.Sum(m => m.Size);

    public bool IsEmpty => BlobsToDelete.Count == 0 && MetadataToDelete.Count == 0;
}
