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

    [Fact]
    public async Task An_index_error_while_serving_is_logged_backed_off_and_the_daemon_keeps_serving()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "first");
        File.AppendAllText(box.ConfigPath, $"\nbackup_interval: 1s\nmin_time_between_run: 1s\nfull_scan_interval: 1h\nsnapshots:\n  watched:\n    paths: ['{box.Source}']\n");
        using var daemon = box.Cli.Start("daemon");
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await daemon.StandardError.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        string Log()
        {
            lock (lines)
            {
                return string.Join('\n', lines);
            }
        }

        async Task WaitForAsync(Func<string, bool> seen, string what)
        {
            var clock = Stopwatch.StartNew();
            while (!seen(Log()))
            {
                if (daemon.HasExited || clock.Elapsed > TimeSpan.FromSeconds(150))
                {
                    Assert.Fail($"no {what} (daemon exited: {daemon.HasExited})\n{Log()}");
                }

                await Task.Delay(200);
            }
        }

        await WaitForAsync(l => l.Contains("backup (full scan interval reached)", StringComparison.Ordinal), "first backup");

        // Another process takes the index's write lock: recording the next change fails with SQLITE_BUSY.
        using (var holder = Process.Start(new ProcessStartInfo("sqlite3", [box.Dir.Combine("index.sqlite")]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false })!)
        {
            holder.StandardInput.WriteLine("BEGIN EXCLUSIVE; SELECT 'held';");
            holder.StandardInput.Flush();
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            File.WriteAllText(Path.Combine(box.Source, "a.txt"), "second");
            await WaitForAsync(l => l.Contains("backup failed", StringComparison.Ordinal), "failure");
            holder.StandardInput.WriteLine("COMMIT;");
            holder.StandardInput.Close();
            await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var failed = Log().Split('\n').First(l => l.Contains("backup failed", StringComparison.Ordinal));
        Assert.Contains("database is locked", failed);
        Assert.EndsWith("; next attempt in 30s (failure 1 in a row)", failed);
        Assert.False(daemon.HasExited, Log());

        // After the backoff the change is recorded and backed up.
        await WaitForAsync(l => l.Split('\n').SkipWhile(x => !x.Contains("backup failed", StringComparison.Ordinal)).Any(x => x.Contains("backup (paths changed)", StringComparison.Ordinal)), "backup after the failure");
        Assert.Equal(0, Kill(daemon.Id, 15));
        await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await reading;
        Assert.True(daemon.ExitCode == 0, Log());
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Equal("second", File.ReadAllText(Sandbox.Restored(target, Path.Combine(box.Source, "a.txt"))));
    }

    private static string[] Manifests(Sandbox box)
    {
        var metadata = Path.Combine(box.StorePath, "metadata");
        return Directory.Exists(metadata) ? Directory.GetFiles(metadata, "manifest.json.zst", SearchOption.AllDirectories) : [];
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
