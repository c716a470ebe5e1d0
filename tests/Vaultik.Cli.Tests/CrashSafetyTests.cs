using System.Diagnostics;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// A snapshot stopped at any point — a simulated crash at the Nth store operation, or a real kill -9 — leaves
/// a store that lists no incomplete snapshot, verifies clean, and takes the next snapshot, which restores exactly.
/// </summary>
public sealed class CrashSafetyTests
{
    private static async Task<Sandbox> BoxAsync()
    {
        var box = await Sandbox.CreateAsync();
        File.AppendAllText(box.ConfigPath, "\nchunk_min_size: 16KiB\nchunk_avg_size: 64KiB\nchunk_max_size: 256KiB\nblob_size_limit: 1MiB\n");
        TestTree.Build(box.Source, largeFileBytes: 5 << 20, smallFiles: 40);
        return box;
    }

    private static async Task AssertRecoversAsync(Sandbox box, int completeBefore)
    {
        // A crash after the manifest landed (e.g. while releasing the lock) leaves a complete snapshot: also fine.
        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.InRange(list.GetArrayLength(), completeBefore, completeBefore + 1);
        await VerifyDeepAsync(box, list.GetArrayLength());
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine($"restore-{Guid.NewGuid():N}");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
        await VerifyDeepAsync(box, list.GetArrayLength() + 1);
    }

    /// <summary>A deep verify with the key that checked <paramref name="snapshots"/> snapshots and their data (not an empty store).</summary>
    private static async Task VerifyDeepAsync(Sandbox box, int snapshots)
    {
        var report = JsonDocument.Parse((await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Equal(snapshots, report.GetProperty("snapshots_checked").GetInt32());
        if (snapshots > 0)
        {
            Assert.True(report.GetProperty("chunks_checked").GetInt64() > 0, report.ToString());
        }
    }

    /// <summary>The store operations a run made, from its VAULTIK_FAULT_LOG: number, kind, key.</summary>
    private static List<(int Number, string Kind, string Key)> Operations(string log) =>
        File.ReadAllLines(log).Select(l => l.Split(' ', 3)).Select(f => (int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), f[1], f[2])).ToList();

    /// <summary>
    /// The crash is aimed at an operation, not a bare number: a twin sandbox (same tree, same first snapshot)
    /// runs the same second snapshot with the operation log on, the first operation of the aimed kind on a key
    /// matching the pattern gives N, and the crashed run's own log must show that its operation N+1, the first
    /// to fail, is of that kind and key. The store already holds a first snapshot, so the checks afterwards
    /// verify real data.
    /// </summary>
    [Theory]
    [InlineData("write", "^locks/", "the store lock")]
    [InlineData("write", "^blobs/", "the first data blob")]
    [InlineData("write", "^metadata/[^/]+/db\\.zst\\.age$", "the metadata")]
    [InlineData("write", "^metadata/[^/]+/manifest\\.json\\.zst$", "the manifest")]
    public async Task A_crash_at_a_given_store_operation_leaves_a_consistent_store(string kind, string keyPattern, string target)
    {
        var matches = new System.Text.RegularExpressions.Regex(keyPattern);
        using var twin = await BoxAsync();
        using var box = await BoxAsync();
        foreach (var sandbox in new[] { twin, box })
        {
            await sandbox.RunOkAsync(0, "snapshot", "create", sandbox.Source);
            TestTree.WriteLargeFile(Path.Combine(sandbox.Source, "more.bin"), 3 << 20, seed: 77);
        }

        var probe = twin.Dir.Combine("probe.log");
        twin.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = "1000000";
        twin.Cli.Environment["VAULTIK_FAULT_LOG"] = probe;
        await twin.RunOkAsync(0, "snapshot", "create", twin.Source);
        var aimed = Operations(probe).First(o => o.Kind == kind && matches.IsMatch(o.Key));

        var log = box.Dir.Combine("crash.log");
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = (aimed.Number - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        box.Cli.Environment["VAULTIK_FAULT_LOG"] = log;
        var crashed = await box.RunOkAsync(1, "snapshot", "create", box.Source);
        Assert.Contains("injected crash", crashed.StdErr);
        var hit = Operations(log).Single(o => o.Number == aimed.Number);
        Assert.True(hit.Kind == kind && matches.IsMatch(hit.Key), $"the crash aimed at {target} hit operation {hit.Number}: {hit.Kind} {hit.Key}");
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = null;
        box.Cli.Environment["VAULTIK_FAULT_LOG"] = null;
        await AssertRecoversAsync(box, completeBefore: 1);
    }

    [Fact]
    public async Task Kill_9_in_the_middle_of_a_snapshot_leaves_a_consistent_store()
    {
        using var box = await BoxAsync();
        for (var i = 0; i < 4; i++)
        {
            TestTree.WriteLargeFile(Path.Combine(box.Source, $"big-{i}.bin"), 48L << 20, seed: 100 + i);
        }

        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = "200"; // a slow store: the run cannot end between two looks
        using (var process = box.Cli.Start("snapshot", "create", box.Source))
        {
            box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = null;
            var blobs = Path.Combine(box.StorePath, "blobs");
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)
                   && !(Directory.Exists(blobs) && Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Count() >= 3))
            {
                await Task.Delay(10);
            }

            Assert.False(process.HasExited, "the snapshot finished before it could be killed");
            process.Kill();
            await process.WaitForExitAsync();
        }

        var next = await box.RunOkAsync(0, "snapshot", "list", "--json");
        Assert.Equal(0, JsonDocument.Parse(next.StdOut).RootElement.GetArrayLength());
        await AssertRecoversAsync(box, completeBefore: 0);
    }

    [Fact]
    public async Task A_corrupt_blob_fails_only_the_files_that_need_it()
    {
        using var box = await BoxAsync();
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var blobs = Directory.GetFiles(Path.Combine(box.StorePath, "blobs"), "*", SearchOption.AllDirectories).OrderBy(f => new FileInfo(f).Length).ToList();
        Assert.True(blobs.Count >= 3);
        var victim = blobs[^1];
        var bytes = File.ReadAllBytes(victim);
        bytes[bytes.Length - 100] ^= 0x20;
        File.WriteAllBytes(victim, bytes);

        var target = box.Dir.Combine("r");
        var result = await box.RunOkAsync(1, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Contains(Path.GetFileName(victim), result.StdErr);
        var restored = Sandbox.Restored(target, box.Source);
        Assert.Equal("leaf\n", File.ReadAllText(Path.Combine(restored, "nested", "deeper", "deepest", "leaf.txt")));
        var differences = TreeComparer.Compare(box.Source, restored);
        Assert.NotEmpty(differences);
        Assert.All(differences, d => Assert.StartsWith("missing:", d));
    }
}
