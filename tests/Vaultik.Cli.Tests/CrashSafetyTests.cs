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
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine($"restore-{Guid.NewGuid():N}");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(11)] // the manifest: a taker no longer reads its own new lease back, so a run takes one operation fewer than before
    public async Task A_crash_after_n_store_operations_leaves_a_consistent_store(int operations)
    {
        using var box = await BoxAsync();
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = operations.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var crashed = await box.RunOkAsync(1, "snapshot", "create", box.Source);
        Assert.Contains("injected crash", crashed.StdErr);
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = null;
        await AssertRecoversAsync(box, completeBefore: 0);
    }

    [Fact]
    public async Task A_crash_during_the_second_snapshot_keeps_the_first_intact()
    {
        using var box = await BoxAsync();
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        TestTree.WriteLargeFile(Path.Combine(box.Source, "more.bin"), 3 << 20, seed: 77);
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = "5";
        await box.RunOkAsync(1, "snapshot", "create", box.Source);
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = null;
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
