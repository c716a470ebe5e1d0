using Vaultik.Core.Catalog;
using Vaultik.Core.Layout;
using Vaultik.Core.Prune;
using Vaultik.Core.Storage;
using Vaultik.Testing;
using static Vaultik.Core.Tests.Catalog.CatalogFixture;

namespace Vaultik.Core.Tests.Prune;

public sealed class RetentionPolicyTests
{
    private static CatalogEntry Entry(string suffix, DateTimeOffset created, DateTimeOffset written, CatalogStatus status = CatalogStatus.Complete)
    {
        var id = Id(created, suffix: suffix);
        return new CatalogEntry(id, Manifest(id, created), written, status, status == CatalogStatus.Complete ? null : "forged", []);
    }

    [Fact]
    public void Keep_last_counts_by_the_store_clock_not_the_claimed_creation_time()
    {
        var a = Entry("0000000a", Now.AddDays(-3), Now.AddDays(-1)); // claims to be the oldest, written last
        var b = Entry("0000000b", Now.AddDays(-2), Now.AddDays(-2));
        var (keep, remove) = new RetentionPolicy { KeepLast = 1 }.Apply([a, b], Now);
        Assert.Equal([a.Id], keep.Select(e => e.Id));
        Assert.Equal([b.Id], remove.Select(e => e.Id));
    }

    [Fact]
    public void Suspect_and_incomplete_snapshots_are_neither_counted_nor_kept_nor_removed()
    {
        var genuine = Enumerable.Range(0, 2).Select(i => Entry($"0000000{i}", Now.AddDays(-i - 1), Now.AddDays(-i - 1).AddMinutes(1))).ToList();
        var future = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var forged = Enumerable.Range(0, 3).Select(i => Entry($"f000000{i}", future.AddDays(i), Now, CatalogStatus.Suspect))
            .Append(Entry("f0000009", future, Now, CatalogStatus.Incomplete)).ToList();
        var (keep, remove) = new RetentionPolicy { KeepLast = 3 }.Apply([.. genuine, .. forged], Now);
        Assert.Equal(genuine.Select(e => e.Id).Order(), keep.Select(e => e.Id).Order());
        Assert.Empty(remove);

        var (keepOne, removeOne) = new RetentionPolicy { KeepLast = 1 }.Apply([.. genuine, .. forged], Now);
        Assert.Equal([genuine[0].Id], keepOne.Select(e => e.Id));
        Assert.Equal([genuine[1].Id], removeOne.Select(e => e.Id));
    }

    [Fact]
    public void Keep_daily_and_older_than_use_the_written_day()
    {
        // Both claim the same day; the store wrote them on different days.
        var a = Entry("0000000a", Now.AddDays(-5), Now.AddDays(-5).AddMinutes(1));
        var b = Entry("0000000b", Now.AddDays(-5).AddHours(1), Now.AddDays(-4));
        var (keep, _) = new RetentionPolicy { KeepDaily = 2 }.Apply([a, b], Now);
        Assert.Equal(2, keep.Count);
        var (young, old) = new RetentionPolicy { OlderThan = TimeSpan.FromDays(4.5) }.Apply([a, b], Now);
        Assert.Equal([b.Id], young.Select(e => e.Id));
        Assert.Equal([a.Id], old.Select(e => e.Id));
    }

    [Fact]
    public async Task Prune_keeps_every_blob_a_suspect_or_incomplete_manifest_lists()
    {
        var store = new MemoryObjectStore();
        var hashes = Enumerable.Range(0, 3).Select(i => Hash256.Compute([(byte)i])).ToList();
        foreach (var h in hashes)
        {
            await store.PutAsync(StoreLayout.BlobKey(h), new MemoryStream(new byte[10]));
            store.SetModified(StoreLayout.BlobKey(h), Now.AddDays(-30));
        }

        var future = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var suspect = Id(future, suffix: "0000000a");
        var incomplete = Id(future, suffix: "0000000b");
        await PutAsync(store, suspect, Manifest(suspect, future, blobs: hashes[0].ToString()), Now);
        await PutAsync(store, incomplete, Manifest(incomplete, future, blobs: hashes[1].ToString()), Now, metadataBytes: null);

        var plan = await new Pruner(store, TimeSpan.Zero).PlanAsync(CancellationToken.None);
        Assert.Equal([StoreLayout.BlobKey(hashes[2])], plan.BlobsToDelete.Select(b => b.Key));
        Assert.Equal(2, plan.BlobsReferenced);
    }
}
