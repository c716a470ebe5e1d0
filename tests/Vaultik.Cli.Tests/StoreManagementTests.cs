using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>Keyless management through the real CLI: purge, prune, verify and store locks, on every kind of store.</summary>
public abstract class StoreManagementTests : StoreScenarioTests
{
    private async Task<Sandbox> HostBoxAsync(string host = "host-a")
    {
        var box = await BoxAsync();
        // Small chunks and blobs, so a removed file's data fills blobs of its own that prune can free.
        File.AppendAllText(box.ConfigPath, $"\nhostname: {host}\nprune_grace_period: 0s\nchunk_min_size: 16KiB\nchunk_avg_size: 64KiB\nchunk_max_size: 256KiB\nblob_size_limit: 1MiB\n");
        return box;
    }

    private async Task<HashSet<string>> BlobsAsync(Sandbox box) =>
        (await Store.ListAsync(box, "blobs/")).Select(o => Path.GetFileName(o.Key)).ToHashSet();

    private async Task<List<string>> SnapshotDirsAsync(Sandbox box) =>
        (await Store.ListAsync(box, "metadata/")).Select(o => o.Key.Split('/')[1]).Distinct().Order(StringComparer.Ordinal).ToList();

    [SkippableFact]
    public async Task Two_hosts_share_a_store_and_purge_plus_prune_frees_exactly_what_only_removed_snapshots_used()
    {
        using var box = await HostBoxAsync();
        var hostB = box.SecondHost("host-b");
        var shared = Path.Combine(box.Source, "shared");
        var onlyOld = Path.Combine(box.Source, "old");
        TestTree.Build(shared, largeFileBytes: 3 << 20, smallFiles: 10, seed: 1);
        TestTree.WriteLargeFile(Path.Combine(box.Source, "old.bin"), 6 << 20, seed: 2);
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", "docs");
        var afterFirst = await BlobsAsync(box);

        File.Delete(Path.Combine(box.Source, "old.bin"));
        TestTree.WriteLargeFile(Path.Combine(box.Source, "new.bin"), 5 << 20, seed: 3);
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", "docs");
        var hostBSource = box.Dir.Combine("b-src");
        TestTree.Build(hostBSource, largeFileBytes: 2 << 20, smallFiles: 5, seed: 9);
        var b = await hostB.RunAsync("snapshot", "create", hostBSource, "--name", "docs");
        Assert.True(b.ExitCode == 0, b.ToString());

        var dry = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-latest", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Single(dry.GetProperty("removed").EnumerateArray());
        Assert.Equal(3, (await SnapshotDirsAsync(box)).Count);

        var refused = await box.RunOkAsync(2, "snapshot", "purge", "--keep-latest");
        Assert.Contains("--yes", refused.StdErr);

        var before = await BlobsAsync(box);
        var purge = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-latest", "--yes", "--json")).StdOut).RootElement;
        Assert.Single(purge.GetProperty("removed").EnumerateArray());
        var after = await BlobsAsync(box);
        var freed = before.Except(after).ToHashSet();
        Assert.NotEmpty(freed);
        Assert.True(freed.IsSubsetOf(afterFirst), "only blobs of the removed first snapshot may be freed");
        Assert.Equal(freed.Count, purge.GetProperty("prune").GetProperty("blobs_deleted").GetInt32());

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal(2, list.GetArrayLength());
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);

        var target = box.Dir.Combine("restore-a");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--name", "docs");
        // "latest" is this host's (host-a's) newest docs snapshot: the source as it is now, not host-b's tree.
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
        Assert.False(Directory.Exists(Sandbox.Restored(target, hostBSource)));
        var restoredA = box.Dir.Combine("restore-a2");
        var hostASnapshot = list.EnumerateArray().Single(s => s.GetProperty("hostname").GetString() == "host-a").GetProperty("id").GetString()!;
        await box.RunOkAsync(0, "restore", hostASnapshot, restoredA, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(restoredA, box.Source)));
        var restoredB = box.Dir.Combine("restore-b");
        var hostBSnapshot = list.EnumerateArray().Single(s => s.GetProperty("hostname").GetString() == "host-b").GetProperty("id").GetString()!;
        await box.RunOkAsync(0, "restore", hostBSnapshot, restoredB, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(hostBSource, Sandbox.Restored(restoredB, hostBSource)));
    }

    [SkippableFact]
    public async Task Prune_refuses_while_another_run_holds_a_lock_and_break_lock_clears_stale_ones()
    {
        using var box = await HostBoxAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var store = Store.Open(box);
        var now = DateTimeOffset.UtcNow;
        await store.PutAsync("locks/live/00000000.json", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"id":"live","kind":"shared","hostname":"busy-host","pid":4242,"created":"{{now:O}}","expires":"{{now.AddMinutes(10):O}}"}""")));

        var held = await box.RunOkAsync(4, "prune", "--yes");
        Assert.Contains("busy-host", held.StdErr);
        Assert.Contains("4242", held.StdErr);

        // Its holder crashed: its newest lease declared a 1-second lifetime, long past by the store's clock.
        await store.PutAsync("locks/live/00000001.json", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"id":"live","kind":"exclusive","hostname":"crashed-host","pid":1,"created":"{{now.AddHours(-2):O}}","expires":"{{now.AddHours(-2).AddSeconds(1):O}}"}""")));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.Equal(2, (await Store.ListAsync(box, "locks/live/")).Count);
        var broken = await box.RunOkAsync(0, "prune", "--yes", "--break-lock");
        Assert.Contains("removed stale exclusive lock live held by crashed-host", broken.StdErr);
        Assert.Empty(await Store.ListAsync(box, "locks/"));
    }

    [SkippableFact]
    public async Task Deep_verify_finds_a_flipped_byte_and_quick_verify_a_missing_blob()
    {
        using var box = await HostBoxAsync();
        TestTree.Build(box.Source, largeFileBytes: 2 << 20, smallFiles: 5);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        await box.RunOkAsync(0, "verify");
        await box.RunOkAsync(0, "snapshot", "verify", "latest", "--deep");

        var blobInfo = (await Store.ListAsync(box, "blobs/")).First();
        var blob = blobInfo.Key;
        await Store.FlipByteAsync(box, blob, blobInfo.Size / 2);

        var quick = await box.RunOkAsync(0, "verify");
        Assert.Contains("no problems", quick.StdOut);
        var deep = await box.RunOkAsync(5, "verify", "--deep", "--json");
        var report = JsonDocument.Parse(deep.StdOut).RootElement;
        Assert.False(report.GetProperty("ok").GetBoolean());
        var problem = report.GetProperty("problems")[0];
        Assert.EndsWith(Path.GetFileName(blob), problem.GetProperty("object").GetString());
        Assert.Single(problem.GetProperty("snapshots").EnumerateArray());
        var keyed = await box.RunOkAsync(5, "snapshot", "verify", "latest", "--deep", "--identity", box.IdentityPath);
        Assert.Contains(Path.GetFileName(blob), keyed.StdErr);

        await Store.Open(box).DeleteAsync(blob);
        var missing = await box.RunOkAsync(5, "verify");
        Assert.Contains("missing", missing.StdErr);
        Assert.Contains(Path.GetFileName(blob), missing.StdErr);
    }

    [SkippableFact]
    public async Task A_snapshot_without_manifest_is_incomplete_not_listed_and_reported()
    {
        using var box = await HostBoxAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var dirs = await SnapshotDirsAsync(box);
        await Store.Open(box).DeleteAsync($"metadata/{dirs[1]}/manifest.json.zst");

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal(1, list.GetArrayLength());
        var verify = JsonDocument.Parse((await box.RunOkAsync(0, "verify", "--json")).StdOut).RootElement;
        Assert.Equal(dirs[1], verify.GetProperty("incomplete_snapshots")[0].GetString());
        var info = JsonDocument.Parse((await box.RunOkAsync(0, "store", "info", "--json")).StdOut).RootElement;
        Assert.Equal(1, info.GetProperty("snapshot_count").GetInt32());

        await box.RunOkAsync(0, "prune", "--yes");
        Assert.DoesNotContain(dirs[1], await SnapshotDirsAsync(box));
    }

    [SkippableFact]
    public async Task Older_than_and_keep_rules_select_what_to_remove()
    {
        using var box = await HostBoxAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        for (var i = 0; i < 3; i++)
        {
            await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", "n");
        }

        var none = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--older-than", "1d", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Empty(none.GetProperty("removed").EnumerateArray());
        var two = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "1", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Equal(2, two.GetProperty("removed").GetArrayLength());
        await box.RunOkAsync(2, "snapshot", "purge", "--yes");
        await box.RunOkAsync(2, "snapshot", "purge", "--older-than", "soon", "--yes");
    }
}
