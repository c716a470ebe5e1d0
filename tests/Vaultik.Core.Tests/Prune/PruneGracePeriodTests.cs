using Vaultik.Core.Layout;
using Vaultik.Core.Prune;
using Vaultik.Testing;
using static Vaultik.Core.Tests.Catalog.CatalogFixture;

namespace Vaultik.Core.Tests.Prune;

/// <summary>
/// The prune grace period (a run in progress may have uploaded blobs its manifest does not list yet): an
/// unreferenced blob is deleted only when it is older than the grace by the store's clock; one exactly that old,
/// or younger, is kept and counted; a referenced blob is never deleted however old. Likewise an incomplete
/// snapshot's metadata.
/// </summary>
public sealed class PruneGracePeriodTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(24);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static async Task<string> BlobAsync(MemoryObjectStore store, byte seed, DateTimeOffset written)
    {
        var key = StoreLayout.BlobKey(Hash256.Compute([seed]));
        await store.PutAsync(key, new MemoryStream(new byte[10 + seed]));
        store.SetModified(key, written);
        return key;
    }

    [Fact]
    public async Task Unreferenced_blobs_older_than_the_grace_go_and_those_exactly_as_old_or_younger_stay()
    {
        var store = new MemoryObjectStore();
        var referencedOld = await BlobAsync(store, 1, Now.AddDays(-400));
        var older = await BlobAsync(store, 2, Now - Grace - TimeSpan.FromTicks(1));
        var muchOlder = await BlobAsync(store, 3, Now.AddDays(-30));
        var exactly = await BlobAsync(store, 4, Now - Grace);
        var younger = await BlobAsync(store, 5, Now - Grace + TimeSpan.FromSeconds(1));
        var fresh = await BlobAsync(store, 6, Now);
        await GenuineAsync(store, Now.AddDays(-400), blobs: Hash256.Compute([1]).ToString());

        var plan = await new Pruner(store, Grace, new FixedClock(Now)).PlanAsync(CancellationToken.None);
        Assert.Equal(new[] { older, muchOlder }.Order(StringComparer.Ordinal), plan.BlobsToDelete.Select(b => b.Key).Order(StringComparer.Ordinal));
        Assert.Equal(3, plan.BlobsKeptForGrace); // exactly, younger, fresh
        Assert.Equal(1, plan.BlobsReferenced);
        Assert.DoesNotContain(referencedOld, plan.BlobsToDelete.Select(b => b.Key));
        Assert.DoesNotContain(exactly, plan.BlobsToDelete.Select(b => b.Key));
        Assert.DoesNotContain(younger, plan.BlobsToDelete.Select(b => b.Key));
        Assert.DoesNotContain(fresh, plan.BlobsToDelete.Select(b => b.Key));
        Assert.Empty(plan.MetadataToDelete);

        // One tick later the blob that was exactly as old as the grace is older: it goes too.
        var later = await new Pruner(store, Grace, new FixedClock(Now + TimeSpan.FromTicks(1))).PlanAsync(CancellationToken.None);
        Assert.Contains(exactly, later.BlobsToDelete.Select(b => b.Key));
        Assert.DoesNotContain(younger, later.BlobsToDelete.Select(b => b.Key));
    }

    [Fact]
    public async Task A_zero_grace_deletes_every_unreferenced_blob_written_before_now()
    {
        var store = new MemoryObjectStore();
        var past = await BlobAsync(store, 1, Now - TimeSpan.FromTicks(1));
        var atNow = await BlobAsync(store, 2, Now);
        var plan = await new Pruner(store, TimeSpan.Zero, new FixedClock(Now)).PlanAsync(CancellationToken.None);
        Assert.Equal([past], plan.BlobsToDelete.Select(b => b.Key));
        Assert.Equal(1, plan.BlobsKeptForGrace);
        Assert.DoesNotContain(atNow, plan.BlobsToDelete.Select(b => b.Key));
    }

    [Fact]
    public async Task An_incomplete_snapshots_metadata_is_removed_only_once_older_than_the_grace()
    {
        var store = new MemoryObjectStore();
        var created = Now.AddDays(-3);
        var oldId = Id(created, suffix: "0000000a");
        var newId = Id(created, suffix: "0000000b");
        // No metadata object: the snapshot is incomplete; its manifest is what is left to remove.
        await PutAsync(store, oldId, Manifest(oldId, created), Now - Grace - TimeSpan.FromSeconds(1), metadataBytes: null);
        await PutAsync(store, newId, Manifest(newId, created), Now - Grace, metadataBytes: null);

        var plan = await new Pruner(store, Grace, new FixedClock(Now)).PlanAsync(CancellationToken.None);
        Assert.Equal([$"{StoreLayout.MetadataPrefix}{oldId}/{StoreLayout.ManifestFileName}"], plan.MetadataToDelete.Select(m => m.Key));
    }
}
