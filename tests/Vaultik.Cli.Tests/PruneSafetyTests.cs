using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Prune and purge never delete blobs a manifest lists just because that manifest cannot be read or parsed:
/// the plan refuses (exit 1) and names the manifest, on every kind of store.
/// </summary>
public abstract class PruneSafetyTests : StoreScenarioTests
{
    /// <summary>Two snapshots; the first alone uses old.bin's blobs. Returns the first snapshot's id.</summary>
    private async Task<(Sandbox Box, string FirstId)> TwoSnapshotsAsync()
    {
        var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nprune_grace_period: 0s\nchunk_min_size: 16KiB\nchunk_avg_size: 64KiB\nchunk_max_size: 256KiB\nblob_size_limit: 1MiB\n");
        TestTree.WriteLargeFile(Path.Combine(box.Source, "old.bin"), 3 << 20, seed: 2);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var first = (await Store.ListAsync(box, "metadata/")).Select(o => o.Key.Split('/')[1]).Distinct().Single();
        File.Delete(Path.Combine(box.Source, "old.bin"));
        TestTree.WriteLargeFile(Path.Combine(box.Source, "new.bin"), 1 << 20, seed: 3);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        return (box, first);
    }

    private async Task<HashSet<string>> BlobsAsync(Sandbox box) => (await Store.ListAsync(box, "blobs/")).Select(o => o.Key).ToHashSet();

    [SkippableFact]
    public async Task A_damaged_manifest_makes_prune_and_purge_refuse_and_delete_nothing()
    {
        var (box, first) = await TwoSnapshotsAsync();
        using var _ = box;
        var key = $"metadata/{first}/manifest.json.zst";
        var bytes = await Store.ReadAsync(box, key);
        Array.Fill(bytes, (byte)'X', 6, Math.Min(40, bytes.Length - 6));
        await Store.ReplaceAsync(box, key, bytes);
        var before = await BlobsAsync(box);

        foreach (var args in new[] { new[] { "prune", "--yes" }, ["snapshot", "purge", "--keep-latest", "--yes"] })
        {
            var refused = await box.RunOkAsync(1, args);
            Assert.Contains(key, refused.StdErr);
            Assert.Equal(before, await BlobsAsync(box));
        }

        var prune = await box.RunOkAsync(1, "prune", "--yes");
        Assert.Contains("nothing was deleted", prune.StdErr);
        Assert.Single(prune.StdErr.Trim().Split('\n'));
    }

    [SkippableFact]
    public async Task A_manifest_in_a_directory_that_is_not_a_snapshot_id_makes_prune_refuse()
    {
        // A snapshot whose id does not parse (here: longer than the 200 characters an id may have) is not
        // listed as a snapshot; without the check its blobs looked unreferenced and prune deleted them.
        var (box, first) = await TwoSnapshotsAsync();
        using var _ = box;
        var store = Store.Open(box);
        var longId = first.Replace("-adhoc-", $"-{new string('h', 190)}-adhoc-", StringComparison.Ordinal);
        foreach (var file in new[] { "manifest.json.zst", "db.zst.age" })
        {
            await store.PutAsync($"metadata/{longId}/{file}", new MemoryStream(await Store.ReadAsync(box, $"metadata/{first}/{file}")));
            await store.DeleteAsync($"metadata/{first}/{file}");
        }

        var before = await BlobsAsync(box);
        var refused = await box.RunOkAsync(1, "prune", "--yes");
        Assert.Contains($"metadata/{longId}/manifest.json.zst", refused.StdErr);
        Assert.Contains("not named with a valid snapshot id", refused.StdErr);
        Assert.Equal(before, await BlobsAsync(box));
    }
}
