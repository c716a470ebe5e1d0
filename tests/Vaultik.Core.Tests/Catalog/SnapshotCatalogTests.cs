using Vaultik.Core.Catalog;
using Vaultik.Core.Integrity;
using Vaultik.Core.Layout;
using Vaultik.Core.Storage;
using Vaultik.Testing;
using static Vaultik.Core.Tests.Catalog.CatalogFixture;

namespace Vaultik.Core.Tests.Catalog;

public sealed class SnapshotCatalogTests
{
    private static readonly DateTimeOffset Created = Now.AddHours(-2);

    [Fact]
    public async Task A_manifest_with_its_metadata_object_of_the_right_size_is_complete_and_written_is_the_store_clock()
    {
        var store = new MemoryObjectStore();
        var id = await GenuineAsync(store, Created);
        var entry = await EntryAsync(store, id);
        Assert.Equal(CatalogStatus.Complete, entry.Status);
        Assert.Null(entry.Reason);
        Assert.Equal(Created.AddMinutes(1), entry.Written);
        Assert.Empty(entry.Tampered);
    }

    [Fact]
    public async Task A_manifest_without_its_metadata_object_is_incomplete()
    {
        var store = new MemoryObjectStore();
        var id = Id(Created);
        await PutAsync(store, id, Manifest(id, Created), Created.AddMinutes(1), metadataBytes: null);
        var entry = await EntryAsync(store, id);
        Assert.Equal(CatalogStatus.Incomplete, entry.Status);
        Assert.Contains("missing", entry.Reason);
        Assert.Empty(await new SnapshotCatalog(store).ListAsync(null, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_metadata_object_of_another_size_than_the_manifest_says_is_incomplete()
    {
        var store = new MemoryObjectStore();
        var id = Id(Created);
        await PutAsync(store, id, Manifest(id, Created, metadataSize: 100), Created.AddMinutes(1), metadataBytes: 99);
        var entry = await EntryAsync(store, id);
        Assert.Equal(CatalogStatus.Incomplete, entry.Status);
        Assert.Contains("99 bytes", entry.Reason);
    }

    [Theory]
    [InlineData(10, CatalogStatus.Complete)]
    [InlineData(20, CatalogStatus.Suspect)]
    public async Task A_creation_time_ahead_of_the_store_clock_by_more_than_the_skew_is_suspect(int minutesAhead, CatalogStatus expected)
    {
        var store = new MemoryObjectStore();
        var id = Id(Created);
        await PutAsync(store, id, Manifest(id, Created), Created.AddMinutes(-minutesAhead));
        Assert.Equal(expected, (await EntryAsync(store, id)).Status);
    }

    [Fact]
    public async Task An_id_whose_time_is_not_the_claimed_creation_second_is_suspect()
    {
        var store = new MemoryObjectStore();
        var id = Id(Created);
        await PutAsync(store, id, Manifest(id, Created.AddSeconds(-5)), Created.AddMinutes(1));
        var entry = await EntryAsync(store, id);
        Assert.Equal(CatalogStatus.Suspect, entry.Status);
        Assert.Contains("its id says", entry.Reason);
    }

    [Fact]
    public async Task A_sub_second_creation_time_in_the_ids_second_is_not_suspect()
    {
        var store = new MemoryObjectStore();
        var id = Id(Created);
        await PutAsync(store, id, Manifest(id, Created.AddMilliseconds(999)), Created.AddMinutes(1));
        Assert.Equal(CatalogStatus.Complete, (await EntryAsync(store, id)).Status);
    }

    [Fact]
    public async Task A_manifest_copied_into_another_directory_or_claiming_another_host_is_suspect()
    {
        var store = new MemoryObjectStore();
        var genuine = Id(Created);
        var copy = Id(Created, suffix: "0000000b");
        var otherHost = Id(Created, suffix: "0000000c");
        await PutAsync(store, copy, Manifest(genuine, Created), Created.AddMinutes(1));
        await PutAsync(store, otherHost, Manifest(otherHost, Created, host: "host-b"), Created.AddMinutes(1));
        Assert.Contains("names snapshot", (await EntryAsync(store, copy)).Reason);
        Assert.Contains("hostname", (await EntryAsync(store, otherHost)).Reason);
        Assert.All(await new SnapshotCatalog(store).ListAsync(null, null, CancellationToken.None), e => Assert.Equal(CatalogStatus.Suspect, e.Status));
    }

    [Fact]
    public async Task Latest_goes_by_the_store_clock_and_skips_suspects_and_incomplete_snapshots()
    {
        var store = new MemoryObjectStore();
        var early = Id(Created, suffix: "0000000a");
        var later = Id(Created.AddMinutes(30), suffix: "0000000b");
        await PutAsync(store, early, Manifest(early, Created), Created.AddHours(1)); // a long run: written last
        await PutAsync(store, later, Manifest(later, Created.AddMinutes(30)), Created.AddMinutes(31));
        var future = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var forged = Id(future, suffix: "0000000c");
        var broken = Id(future, suffix: "0000000d");
        await PutAsync(store, forged, Manifest(forged, future), Now);
        await PutAsync(store, broken, Manifest(broken, future), Now, metadataBytes: null);

        var catalog = new SnapshotCatalog(store);
        Assert.Equal(early, (await catalog.ResolveAsync("latest", null, null, CancellationToken.None)).Id);
        Assert.Equal(early, (await catalog.ResolveAsync("latest", null, "host-a", CancellationToken.None)).Id);
        var none = await Assert.ThrowsAsync<VaultikException>(() => catalog.ResolveAsync("latest", null, "host-b", CancellationToken.None));
        Assert.Contains("of host host-b", none.Message);
        Assert.Contains("host-a (use --host HOST)", none.Message);
        Assert.Equal([later, early, forged], (await catalog.ListAsync(null, null, CancellationToken.None)).Select(e => e.Id));
    }

    [Fact]
    public async Task Rewritten_keys_are_flagged_on_their_snapshot()
    {
        var store = new MemoryObjectStore();
        var id = await GenuineAsync(store, Created);
        var other = await GenuineAsync(store, Created, suffix: "0000000b");
        var key = StoreLayout.ManifestKey(id);
        var history = new KeyHistory(key, new ObjectVersion(key, "v1", 10, Created, IsDeleteMarker: false), 2, 0, false);
        var entries = await new SnapshotCatalog(store, [history]).EntriesAsync(CancellationToken.None);
        Assert.Equal([key], entries.Single(e => e.Id == id).Tampered);
        Assert.Empty(entries.Single(e => e.Id == other).Tampered);
    }

    [Fact]
    public async Task A_manifest_that_cannot_be_parsed_is_unreadable_and_listing_names_it()
    {
        var store = new MemoryObjectStore();
        var id = Id(Created);
        await store.PutAsync(StoreLayout.ManifestKey(id), new MemoryStream([1, 2, 3]));
        Assert.Equal(CatalogStatus.Unreadable, (await EntryAsync(store, id)).Status);
        var error = await Assert.ThrowsAsync<CorruptDataException>(() => new SnapshotCatalog(store).ListAsync(null, null, CancellationToken.None));
        Assert.Contains(StoreLayout.ManifestKey(id), error.Message);
    }
}
