using Vaultik.Core.Layout;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Catalog;

/// <summary>What a store holds, from its listings only (no key): snapshots complete and incomplete, and the blobs' count and bytes.</summary>
public sealed record StoreTotals(int Snapshots, int IncompleteSnapshots, long Blobs, long BlobBytes)
{
    public static async Task<StoreTotals> ComputeAsync(IObjectStore store, CancellationToken cancellationToken)
    {
        var (complete, incomplete) = await new SnapshotCatalog(store).ScanAsync(cancellationToken).ConfigureAwait(false);
        long blobs = 0, bytes = 0;
        await foreach (var info in store.ListAsync(StoreLayout.BlobsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (StoreLayout.TryParseBlobKey(info.Key, out _))
            {
                blobs++;
                bytes += info.Size;
            }
        }

        return new StoreTotals(complete.Count, incomplete.Count, blobs, bytes);
    }
}
