using System.Diagnostics;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>The contract cron jobs and scripts rely on: exit codes provoked for real, --cron, --json, signals.</summary>
public sealed class CliContractTests
{
    [Fact]
    public async Task On_a_terminal_errors_are_red_unless_no_color_or_NO_COLOR()
    {
        using var box = await Sandbox.CreateAsync();
        var missing = box.Dir.Combine("missing");
        box.Cli.Environment["NO_COLOR"] = null;
        var coloured = await box.Cli.RunInTerminalAsync("snapshot", "create", missing);
        Assert.Equal(2, coloured.ExitCode);
        Assert.Contains("\u001b[1;31merror:\u001b[0m", coloured.StdOut);
        Assert.Contains(missing, coloured.StdOut);

        var flagged = await box.Cli.RunInTerminalAsync("snapshot", "create", missing, "--no-color");
        Assert.Equal(2, flagged.ExitCode);
        Assert.Contains("vaultik: error: ", flagged.StdOut);
        Assert.DoesNotMatch(Sgr, flagged.StdOut);

        box.Cli.Environment["NO_COLOR"] = "1";
        var environment = await box.Cli.RunInTerminalAsync("snapshot", "create", missing);
        Assert.Contains("vaultik: error: ", environment.StdOut);
        Assert.DoesNotMatch(Sgr, environment.StdOut);

        // Not a terminal: never coloured.
        box.Cli.Environment["NO_COLOR"] = null;
        Assert.DoesNotMatch(Sgr, (await box.RunOkAsync(2, "snapshot", "create", missing)).StdErr);
    }

    /// <summary>An SGR (colour) escape; .NET's console itself sends other escapes to a terminal (keypad mode).</summary>
    private const string Sgr = "\u001b\\[[0-9;]*m";

    [Fact]
    public async Task An_unreadable_source_file_gives_exit_3_names_it_and_keeps_the_rest()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "fine.txt"), "fine");
        // /proc/self/mem cannot be read from offset 0 (EIO): a real read error, whatever our privileges.
        var result = await box.RunOkAsync(3, "snapshot", "create", box.Source, "/proc/self/mem", "--json");
        Assert.Contains("/proc/self/mem", result.StdErr);
        var created = JsonDocument.Parse(result.StdOut).RootElement[0];
        Assert.Equal(1, created.GetProperty("files_skipped").GetInt64());
        Assert.Contains("/proc/self/mem", created.GetProperty("warnings")[0].GetString());

        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Equal("fine", File.ReadAllText(Sandbox.Restored(target, Path.Combine(box.Source, "fine.txt"))));
        Assert.False(File.Exists(Path.Combine(target, "proc", "self", "mem")));
    }

    [Fact]
    public async Task A_held_index_lock_gives_exit_4_and_wait_lock_waits_for_it()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        var lockPath = box.Dir.Combine("index.sqlite") + ".lock";
        var holder = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        holder.Write("12345\n"u8);
        holder.Flush();
        var held = await box.RunOkAsync(4, "snapshot", "create", box.Source);
        Assert.Contains("12345", held.StdErr);
        Assert.Single(held.StdErr.Trim().Split('\n'));

        // The child must show it found the lock held and is waiting on it (not merely that it is slow to start),
        // stay blocked while the lock is held, and go on once it is released.
        using var waiting = box.Cli.Start("snapshot", "create", box.Source, "--wait-lock", "120s");
        var stderr = new System.Text.StringBuilder();
        var sawWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            if (e.Data?.Contains("waiting up to 120s for another vaultik run (pid 12345)", StringComparison.Ordinal) == true)
            {
                sawWaiting.TrySetResult();
            }
        };
        waiting.BeginErrorReadLine();
        var stdout = waiting.StandardOutput.ReadToEndAsync();
        var first = await Task.WhenAny(sawWaiting.Task, waiting.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(first == sawWaiting.Task, $"the child never said it was waiting for the lock (exited: {waiting.HasExited}): {stderr}");
        Assert.False(waiting.HasExited);
        var metadata = Path.Combine(box.StorePath, "metadata");
        string[] Snapshots() => Directory.Exists(metadata) ? Directory.GetDirectories(metadata) : [];
        Assert.Empty(Snapshots());

        // Blocked on the lock, not on its own start: it makes no snapshot while the lock is held.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(waiting.HasExited, $"the child finished while the lock was still held: {stderr}");
        await holder.DisposeAsync();
        Assert.True(waiting.WaitForExit(TimeSpan.FromSeconds(90)), $"the child did not go on after the lock was released: {stderr}");
        waiting.WaitForExit();
        Assert.True(waiting.ExitCode == 0, $"exit {waiting.ExitCode}: {stderr}");
        Assert.Contains("created", await stdout, StringComparison.Ordinal);
        Assert.Single(Snapshots());
    }

    [Fact]
    public async Task Cron_mode_is_silent_on_success_and_summarises_a_failure()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        var ok = await box.RunOkAsync(0, "--cron", "snapshot", "create", box.Source);
        Assert.Equal(string.Empty, ok.StdOut);
        Assert.Equal(string.Empty, ok.StdErr);

        var partial = await box.RunOkAsync(3, "snapshot", "create", box.Source, "/proc/self/mem", "--cron");
        Assert.Equal(string.Empty, partial.StdOut);
        Assert.Contains("exit code 3", partial.StdErr);
        Assert.Contains("/proc/self/mem", partial.StdErr);

        var failed = await box.RunOkAsync(2, "snapshot", "create", box.Dir.Combine("missing"), "--cron");
        Assert.Contains("missing", failed.StdErr);
    }

    [Fact]
    public async Task Json_mode_errors_are_one_json_object_on_stderr()
    {
        using var box = await Sandbox.CreateAsync();
        var result = await box.RunOkAsync(2, "snapshot", "create", box.Dir.Combine("missing"), "--json");
        Assert.Equal(string.Empty, result.StdOut);
        var error = JsonDocument.Parse(result.StdErr).RootElement;
        Assert.Equal(2, error.GetProperty("exit_code").GetInt32());
        Assert.Contains("missing", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Help_lists_the_exit_codes()
    {
        using var box = await Sandbox.CreateAsync();
        var help = await box.RunOkAsync(0, "--help");
        foreach (var code in new[] { "130", "interrupted", "another run holds the lock", "verification found" })
        {
            Assert.Contains(code, help.StdOut);
        }
    }

    [Fact]
    public async Task Sigterm_during_a_snapshot_exits_130_lists_nothing_incomplete_and_the_next_run_is_clean()
    {
        using var box = await Sandbox.CreateAsync();
        for (var i = 0; i < 6; i++)
        {
            TestTree.WriteLargeFile(Path.Combine(box.Source, $"big-{i}.bin"), 64L << 20, seed: i);
        }

        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = "200"; // a slow store: the run cannot end between two looks
        using var process = box.Cli.Start("snapshot", "create", box.Source);
        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = null;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var blobs = Path.Combine(box.StorePath, "blobs");
        var clock = Stopwatch.StartNew();
        while (!Directory.Exists(blobs) && clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            await Task.Delay(50);
        }

        Assert.False(process.HasExited, "the snapshot finished before it could be interrupted");
        Assert.Equal(0, Kill(process.Id, 15));
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.Contains("interrupted", await stderr);

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal(0, list.GetArrayLength());
        Assert.Empty(Directory.GetFiles(box.Dir.Combine("tmp"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.Exists(Path.Combine(box.StorePath, "locks")) ? Directory.GetFiles(Path.Combine(box.StorePath, "locks")) : []);

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
