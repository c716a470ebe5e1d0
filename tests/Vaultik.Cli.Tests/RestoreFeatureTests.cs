using System.Diagnostics;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>Partial, resumable, dry-run, --delete and --verify restores through the real CLI, on every kind of store.</summary>
public abstract class RestoreFeatureTests : StoreScenarioTests
{
    private async Task<Sandbox> SmallBlobsAsync(bool metered = false)
    {
        var box = metered ? await MeteredBoxAsync() : await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nchunk_min_size: 16KiB\nchunk_avg_size: 64KiB\nchunk_max_size: 256KiB\nblob_size_limit: 1MiB\n");
        return box;
    }

    [SkippableFact]
    public async Task Restoring_a_subdirectory_downloads_only_the_blobs_it_needs()
    {
        using var box = await SmallBlobsAsync(metered: true);
        TestTree.WriteLargeFile(Path.Combine(box.Source, "a", "big.bin").Also(Directory.CreateDirectory), 6 << 20, seed: 1);
        TestTree.WriteLargeFile(Path.Combine(box.Source, "b", "big.bin").Also(Directory.CreateDirectory), 6 << 20, seed: 2);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var stored = (await Store.ListAsync(box, "blobs/")).Sum(o => o.Size);

        var target = box.Dir.Combine("r");
        var (run, downloaded) = await Store.RunMeteredAsync(box, "restore", "latest", target, Path.Combine(box.Source, "a"), "--identity", box.IdentityPath, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        // Counted outside vaultik (the S3 proxy's response bytes, or every byte the process read from files).
        Assert.True(downloaded < stored * 0.65, $"downloaded {downloaded} of {stored} stored bytes for half the data");
        var fetched = JsonDocument.Parse(run.StdOut).RootElement.GetProperty("bytes_fetched").GetInt64();
        Assert.True(fetched <= downloaded, $"vaultik says it fetched {fetched} bytes, more than the {downloaded} counted");
        Assert.Equal(File.ReadAllBytes(Path.Combine(box.Source, "a", "big.bin")), File.ReadAllBytes(Sandbox.Restored(target, Path.Combine(box.Source, "a", "big.bin"))));
        Assert.False(Directory.Exists(Sandbox.Restored(target, Path.Combine(box.Source, "b"))));
    }

    [SkippableFact]
    public async Task A_restore_killed_halfway_completes_byte_exact_when_run_again()
    {
        using var box = await SmallBlobsAsync();
        for (var i = 0; i < 8; i++)
        {
            TestTree.WriteLargeFile(Path.Combine(box.Source, $"f{i}.bin"), 40L << 20, seed: i);
        }

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("r");
        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = "100"; // a slow store: the run cannot end between two looks
        using (var process = box.Cli.Start("restore", "latest", target, "--identity", box.IdentityPath, "--concurrency", "1"))
        {
            box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = null;
            var restoredDir = Sandbox.Restored(target, box.Source);
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60) && !Directory.Exists(restoredDir))
            {
                await Task.Delay(5);
            }

            Assert.False(process.HasExited, $"the restore finished before it could be killed (exit {(process.HasExited ? process.ExitCode : 0)}): {(process.HasExited ? await process.StandardError.ReadToEndAsync() : string.Empty)}");
            process.Kill();
            await process.WaitForExitAsync();
        }

        var again = JsonDocument.Parse((await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--overwrite", "--json")).StdOut).RootElement;
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
        Assert.Equal(8, again.GetProperty("files").GetInt64());

        // Every store operation of the third run is logged by the test hook (a crash point it never reaches): it may
        // read the blob(s) holding the snapshot's row stream (the last, part-filled blob: ~210 KB here), never one of
        // the full ~1 MiB data blobs.
        var log = box.Dir.Combine("third.log");
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = "1000000000";
        box.Cli.Environment["VAULTIK_FAULT_LOG"] = log;
        var third = JsonDocument.Parse((await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--overwrite", "--json")).StdOut).RootElement;
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = null;
        box.Cli.Environment["VAULTIK_FAULT_LOG"] = null;
        Assert.Equal(8, third.GetProperty("files_unchanged").GetInt64());
        Assert.Equal(0, third.GetProperty("bytes_fetched").GetInt64());
        var sizes = (await Store.ListAsync(box, "blobs/")).ToDictionary(o => o.Key, o => o.Size, StringComparer.Ordinal);
        Assert.True(sizes.Values.Count(size => size > 512 << 10) >= 250, "the data blobs are the large ones");
        var blobReads = File.ReadAllLines(log).Select(l => l.Split(' ', 3)).Where(f => f[1] == "read" && f[2].StartsWith("blobs/", StringComparison.Ordinal)).Select(f => f[2]).ToList();
        Assert.All(blobReads, key => Assert.True(sizes[key] < 512 << 10, $"the unchanged restore read {key} ({sizes[key]} bytes), a full data blob"));
        Assert.True(blobReads.Distinct().Count() <= 2, $"the unchanged restore read {blobReads.Distinct().Count()} blobs: {string.Join(", ", blobReads.Distinct())}");
    }

    [SkippableFact]
    public async Task Overwrite_with_delete_replaces_differing_files_and_removes_stale_ones()
    {
        using var box = await BoxAsync();
        TestTree.Build(box.Source, largeFileBytes: 1 << 20, smallFiles: 10);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        var restored = Sandbox.Restored(target, box.Source);
        File.WriteAllText(Path.Combine(restored, "stale.txt"), "not in the snapshot");
        Directory.CreateDirectory(Path.Combine(restored, "stale-dir", "deep"));
        File.WriteAllText(Path.Combine(restored, "name with spaces.txt"), "modified");

        var dry = await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--dry-run");
        Assert.Contains("would write", dry.StdOut);
        Assert.Contains("name with spaces.txt", dry.StdOut);
        Assert.Equal("modified", File.ReadAllText(Path.Combine(restored, "name with spaces.txt")));

        var result = JsonDocument.Parse((await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--overwrite", "--delete", "--verify", "--json")).StdOut).RootElement;
        Assert.Equal(2, result.GetProperty("deleted").GetInt64());
        Assert.Empty(TreeComparer.Compare(box.Source, restored));
    }
}
