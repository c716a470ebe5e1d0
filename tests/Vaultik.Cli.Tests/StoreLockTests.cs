using System.Diagnostics;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Store locks with real concurrent processes, on every kind of store: a running snapshot keeps prune out,
/// a run that loses its lock stops, and the backup side never deletes a lease.
/// </summary>
public abstract class StoreLockTests : StoreScenarioTests
{
    private async Task<Sandbox> LockBoxAsync(string extra = "")
    {
        var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, $"\nhostname: lock-host\nprune_grace_period: 0s\nchunk_min_size: 16KiB\nchunk_avg_size: 64KiB\nchunk_max_size: 256KiB\nblob_size_limit: 1MiB\n{extra}");
        for (var i = 0; i < 4; i++)
        {
            TestTree.WriteLargeFile(Path.Combine(box.Source, $"big-{i}.bin"), 2L << 20, seed: 300 + i);
        }

        return box;
    }

    private async Task<HashSet<string>> KeysAsync(Sandbox box, string prefix) =>
        (await Store.ListAsync(box, prefix)).Select(o => o.Key).ToHashSet(StringComparer.Ordinal);

    private static async Task WaitForAsync(Process process, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60) && !await condition())
        {
            await Task.Delay(50);
        }

        Assert.False(process.HasExited, "the snapshot finished before the test could look");
    }

    [SkippableFact]
    public async Task Prune_during_a_snapshot_refuses_and_deletes_nothing_and_a_prune_right_after_keeps_what_it_references()
    {
        using var box = await LockBoxAsync();
        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = "300"; // a slow store: the run lasts while prune tries
        using var snapshot = box.Cli.Start("snapshot", "create", box.Source);
        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = null;
        await WaitForAsync(snapshot, async () => (await KeysAsync(box, "blobs/")).Count >= 2);

        var blobsBefore = await KeysAsync(box, "blobs/");
        var refused = await box.RunOkAsync(4, "prune", "--yes");
        Assert.Matches("^vaultik: error: cannot take a exclusive lock on the store: shared lock \\S+ held by lock-host pid \\d+ since .*\n$", refused.StdErr);
        Assert.True(blobsBefore.IsSubsetOf(await KeysAsync(box, "blobs/")), "a refused prune deleted blobs");
        // The refusal names the running snapshot's shared lock: the two overlapped.

        await snapshot.WaitForExitAsync();
        Assert.Equal(0, snapshot.ExitCode);
        await box.RunOkAsync(0, "prune", "--yes");
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
    }

    [SkippableFact]
    public async Task A_snapshot_whose_lock_writes_fail_stops_with_one_line_and_leaves_no_complete_snapshot()
    {
        using var box = await LockBoxAsync("lock_lifetime: 4s\nupload_concurrency: 1\n");
        // Lock operations after the first three (list, create the lease, list again) fail; every operation takes 500ms.
        box.Cli.Environment["VAULTIK_FAULT_KEYS"] = "locks/";
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = "3";
        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = "500";
        var lost = await box.RunOkAsync(1, "snapshot", "create", box.Source);
        // The error is the last line; the release that could not be written either is a warning before it.
        Assert.Matches("^vaultik: error: cannot finish snapshot \\S+-lock_host-adhoc-[0-9a-f]{8}: lost the store lock \\(not refreshed for 4s; last error: cannot write locks/\\S+: injected crash\\)$", lost.StdErr.TrimEnd().Split('\n')[^1]);
        Assert.Contains("cannot release shared lock", lost.StdErr);
        foreach (var name in new[] { "VAULTIK_FAULT_KEYS", "VAULTIK_FAULT_CRASH_AFTER", "VAULTIK_FAULT_LATENCY_MS" })
        {
            box.Cli.Environment[name] = null;
        }

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal(0, list.GetArrayLength());
        Assert.DoesNotContain(await KeysAsync(box, "metadata/"), k => k.EndsWith("/manifest.json.zst", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Snapshot_runs_never_remove_a_lease_and_prune_removes_the_released_and_expired_ones()
    {
        using var box = await LockBoxAsync();
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var afterFirst = await KeysAsync(box, "locks/");
        Assert.Equal(2, afterFirst.Count); // lease 0 and the released lease 1
        File.WriteAllText(Path.Combine(box.Source, "new.txt"), "changed");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        await box.RunOkAsync(0, "--cron", "snapshot", "create", box.Source);
        var afterThree = await KeysAsync(box, "locks/");
        Assert.True(afterFirst.IsSubsetOf(afterThree), "a snapshot run removed a lease");
        Assert.Equal(6, afterThree.Count);
        foreach (var released in afterThree.Where(k => k.EndsWith("/00000001.json", StringComparison.Ordinal)))
        {
            await using var stream = await Store.Open(box).GetAsync(released);
            Assert.True(JsonDocument.Parse(stream).RootElement.GetProperty("released").GetBoolean());
        }

        // A forged exclusive lease claiming to last 900 years blocks snapshots only until the 1-hour cap.
        var now = DateTimeOffset.UtcNow;
        await Store.Open(box).PutAsync("locks/forged/00000000.json", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"id":"forged","kind":"exclusive","hostname":"evil","pid":666,"created":"{{now:O}}","expires":"{{now.AddYears(900):O}}"}""")));
        var blocked = await box.RunOkAsync(4, "snapshot", "create", box.Source);
        Assert.Contains($"it expires {now.AddHours(1):yyyy-MM-dd HH}", blocked.StdErr);
        await Store.Open(box).DeleteAsync("locks/forged/00000000.json");

        var pruned = await box.RunOkAsync(0, "prune", "--yes");
        Assert.Equal(3, pruned.StdErr.Split('\n').Count(l => l.Contains("removed stale shared lock", StringComparison.Ordinal)));
        Assert.Empty(await KeysAsync(box, "locks/"));
    }

    [SkippableFact]
    public async Task An_unreadable_lease_blocks_snapshots_and_prune_with_exit_4_naming_it_until_break_lock_removes_it()
    {
        using var box = await LockBoxAsync();
        const string key = "locks/broken/00000000.json";
        await Store.Open(box).PutAsync(key, new MemoryStream("{\"id\":\"broken\",\"kind\":\"excl"u8.ToArray()));
        var blocked = await box.RunOkAsync(4, "snapshot", "create", box.Source);
        var line = blocked.StdErr.TrimEnd().Split('\n')[^1];
        Assert.StartsWith($"vaultik: error: cannot take a shared lock on the store: unreadable lock object {key} ", line);
        Assert.Contains("--break-lock", line);
        Assert.Empty(await KeysAsync(box, "metadata/"));
        var prune = await box.RunOkAsync(4, "prune", "--yes");
        Assert.Contains($"unreadable lock object {key}", prune.StdErr);
        Assert.Contains(key, await KeysAsync(box, "locks/"));

        var broken = await box.RunOkAsync(0, "prune", "--yes", "--break-lock");
        Assert.Contains($"removed stale unreadable lock object {key}", broken.StdErr);
        Assert.DoesNotContain(key, await KeysAsync(box, "locks/"));
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
    }
}
