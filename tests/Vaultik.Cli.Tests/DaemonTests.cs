using System.Diagnostics;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class DaemonTests
{
    [Fact]
    public async Task The_daemon_backs_up_a_change_and_exits_0_on_sigterm()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "first");
        Directory.CreateDirectory(Path.Combine(box.Source, "quiet", "deeper"));
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(box.Source, "quiet", "deeper", $"q{i}.txt"), $"quiet {i}");
        }
        File.AppendAllText(box.ConfigPath, $"\nbackup_interval: 1s\nmin_time_between_run: 1s\nfull_scan_interval: 1h\nsnapshots:\n  watched:\n    paths: ['{box.Source}']\n");

        using var daemon = box.Cli.Start("daemon");
        var stderr = daemon.StandardError.ReadToEndAsync();
        async Task<int> SnapshotsAsync() => JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.GetArrayLength();
        async Task WaitForAsync(int count)
        {
            var clock = Stopwatch.StartNew();
            while (await SnapshotsAsync() < count)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60) || daemon.HasExited)
                {
                    daemon.Kill();
                    Assert.Fail($"no snapshot {count} within a minute (daemon exited: {daemon.HasExited})\n{await stderr}");
                }

                await Task.Delay(300);
            }
        }

        await WaitForAsync(1);
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "second");
        await WaitForAsync(2);
        Assert.Equal(0, Kill(daemon.Id, 15));
        await daemon.WaitForExitAsync();
        var log = await stderr;
        Assert.True(daemon.ExitCode == 0, log);
        Assert.Contains("paths changed", log);

        // The run for the change walked only the changed directory: quiet/ came from the recorded walk.
        var incremental = System.Text.RegularExpressions.Regex.Match(log, @"backup \(paths changed\): snapshot \S+: (\d+) files \((\d+) entries reused");
        Assert.True(incremental.Success, log);
        Assert.Equal("4", incremental.Groups[1].Value);
        Assert.Equal("4", incremental.Groups[2].Value);

        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Equal("second", File.ReadAllText(Sandbox.Restored(target, Path.Combine(box.Source, "a.txt"))));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
