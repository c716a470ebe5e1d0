using System.Diagnostics;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>The daemon under failure: SIGTERM in the middle of a run (a slow store keeps the run going while we signal).</summary>
public sealed class DaemonFailureTests
{
    [Fact]
    public async Task Sigterm_during_a_run_abandons_it_releases_the_lock_and_leaves_no_manifest()
    {
        using var box = await Sandbox.CreateAsync();
        File.AppendAllText(box.ConfigPath,
            $"\nchunk_min_size: 16KiB\nchunk_avg_size: 64KiB\nchunk_max_size: 256KiB\nblob_size_limit: 1MiB\nprune_grace_period: 0s\n"
            + $"backup_interval: 1h\nmin_time_between_run: 1s\nfull_scan_interval: 1h\nsnapshots:\n  watched:\n    paths: ['{box.Source}']\n");
        for (var i = 0; i < 4; i++)
        {
            TestTree.WriteLargeFile(Path.Combine(box.Source, $"big-{i}.bin"), 8L << 20, seed: 500 + i);
        }

        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = "200"; // a slow store: the run cannot end between two looks
        using var daemon = box.Cli.Start("daemon");
        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = null;
        var stderr = daemon.StandardError.ReadToEndAsync();
        var blobs = Path.Combine(box.StorePath, "blobs");
        var clock = Stopwatch.StartNew();
        while (!daemon.HasExited && clock.Elapsed < TimeSpan.FromSeconds(90)
               && !(Directory.Exists(blobs) && Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Count() >= 3))
        {
            await Task.Delay(10);
        }

        Assert.False(daemon.HasExited, $"the daemon ended before the test could signal it\n{(daemon.HasExited ? await stderr : string.Empty)}");
        Assert.Empty(Manifests(box)); // mid-run: blobs stored, no manifest yet
        Assert.Equal(0, Kill(daemon.Id, 15));
        Assert.True(await Task.WhenAny(daemon.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60))) is Task t && daemon.HasExited, "the daemon did not stop within a minute of SIGTERM");
        var log = await stderr;
        Assert.True(daemon.ExitCode == 0, log);
        Assert.Contains("daemon stopped", log);
        Assert.DoesNotContain("backup failed", log);
        Assert.DoesNotContain("backup (", log); // the run was abandoned, not finished
        Assert.Empty(Manifests(box));

        // The lock was released (an exclusive lock is taken at once), the store is consistent, and the next run is fine.
        await box.RunOkAsync(0, "prune", "--yes");
        await box.RunOkAsync(0, "verify");
        await box.RunOkAsync(0, "snapshot", "create", "--name", "watched");
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
    }

    private static string[] Manifests(Sandbox box)
    {
        var metadata = Path.Combine(box.StorePath, "metadata");
        return Directory.Exists(metadata) ? Directory.GetFiles(metadata, "manifest.json.zst", SearchOption.AllDirectories) : [];
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
