using System.Runtime.InteropServices;
using System.Text;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Sources that misbehave while they are read, and names at the edge of what Linux allows: each is either
/// backed up exactly or skipped with a warning naming it (exit 3), never silently lost.
/// </summary>
public sealed class SourceEdgeCaseTests
{
    [Fact]
    public async Task A_file_growing_during_the_snapshot_is_stored_as_a_consistent_prefix_and_named_if_unstable()
    {
        using var box = await Sandbox.CreateAsync();
        TestTree.Build(box.Source, largeFileBytes: 4 << 20, smallFiles: 30);
        var growing = Path.Combine(box.Source, "growing.log");
        File.WriteAllBytes(growing, Line(0, 1 << 20));

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            using var stream = new FileStream(growing, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                stream.Write(Line(i, 4096));
                stream.Flush();
                await Task.Delay(1);
            }
        });
        var result = await box.RunAsync("snapshot", "create", box.Source);
        await stop.CancelAsync();
        await writer;

        Assert.True(result.ExitCode is 0 or 3, result.ToString());
        if (result.ExitCode == 3)
        {
            Assert.Contains(growing, result.StdErr);
        }

        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        var restored = Sandbox.Restored(target, box.Source);
        var finalBytes = File.ReadAllBytes(growing);
        var restoredBytes = File.ReadAllBytes(Path.Combine(restored, "growing.log"));
        Assert.InRange(restoredBytes.Length, 1 << 20, finalBytes.Length);
        Assert.True(finalBytes.AsSpan(0, restoredBytes.Length).SequenceEqual(restoredBytes), "the stored version is not a prefix of the file");

        // Everything else is exact (the growing file itself differs by design: it kept growing).
        File.Delete(growing);
        File.Delete(Path.Combine(restored, "growing.log"));
        Assert.Empty(TreeComparer.Compare(box.Source, restored));
    }

    [Fact]
    public async Task A_file_shrinking_during_the_snapshot_is_stored_as_read_and_named_if_unstable()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "steady.txt"), "steady");
        var shrinking = Path.Combine(box.Source, "shrinking.bin");
        TestTree.WriteLargeFile(shrinking, 96L << 20, seed: 9);
        var original = File.ReadAllBytes(shrinking);

        using var stop = new CancellationTokenSource();
        var cutter = Task.Run(async () =>
        {
            long length = original.Length;
            while (!stop.IsCancellationRequested && length > (1 << 20))
            {
                length -= 1 << 20;
                using (var stream = new FileStream(shrinking, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                    stream.SetLength(length);
                }

                await Task.Delay(5);
            }
        });
        var result = await box.RunAsync("snapshot", "create", box.Source);
        await stop.CancelAsync();
        await cutter;

        Assert.True(result.ExitCode is 0 or 3, result.ToString());
        if (result.ExitCode == 3)
        {
            Assert.Contains(shrinking, result.StdErr);
        }

        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        var restored = Sandbox.Restored(target, box.Source);
        var restoredBytes = File.ReadAllBytes(Path.Combine(restored, "shrinking.bin"));
        Assert.True(original.AsSpan(0, restoredBytes.Length).SequenceEqual(restoredBytes), "the stored version is not a prefix of the original");
        Assert.Equal("steady", File.ReadAllText(Path.Combine(restored, "steady.txt")));
    }

    [Fact]
    public async Task Paths_up_to_PATH_MAX_back_up_and_restore_exactly()
    {
        using var box = await Sandbox.CreateAsync();

        // Nest directories until the file's full path is 3990 bytes (names at most 250 bytes): with the short
        // restore target below the restored path stays within PATH_MAX (4096 including the NUL).
        var file = DeepPath(box.Source, 3990, 'f');
        File.WriteAllText(file, "at the edge");
        Assert.Equal(3990, Encoding.UTF8.GetByteCount(file));
        var deep = Path.GetDirectoryName(file)!;
        var link = Path.Combine(deep, "l");
        File.CreateSymbolicLink(link, new string('t', 4000));

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        using var shortTarget = new TempDir();
        await box.RunOkAsync(0, "restore", "latest", shortTarget.Path, "--identity", box.IdentityPath);
        Assert.True(Encoding.UTF8.GetByteCount(Sandbox.Restored(shortTarget.Path, file)) < 4096);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(shortTarget.Path, box.Source)));
    }

    [Fact]
    public async Task A_path_pushed_past_PATH_MAX_by_the_restore_target_still_restores_exactly()
    {
        // Restore resolves every path from directory handles, one component at a time, so the full path's
        // length never reaches a system call: a tree that fits PATH_MAX at its source restores under a
        // longer target too.
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "short.txt"), "short");
        var file = DeepPath(box.Source, 4090, 'g');
        File.WriteAllText(file, "too long once prefixed");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var target = box.Dir.Combine("a-restore-target-that-pushes-it-over");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Equal("short", File.ReadAllText(Path.Combine(Sandbox.Restored(target, box.Source), "short.txt")));
        var restored = Sandbox.Restored(target, file);
        Assert.True(Encoding.UTF8.GetByteCount(restored) >= 4096);
        var relative = Path.GetRelativePath(target, restored);
        var cat = await RunInAsync(target, "cat", relative);
        Assert.Equal("too long once prefixed", cat);
    }

    /// <summary>Runs a tool in <paramref name="directory"/> with a relative path (an absolute one would exceed PATH_MAX).</summary>
    private static async Task<string> RunInAsync(string directory, string tool, string relative)
    {
        // The relative path itself is under PATH_MAX; the kernel resolves it from the working directory.
        var info = new System.Diagnostics.ProcessStartInfo(tool, [relative]) { WorkingDirectory = directory, RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    private static string DeepPath(string root, int length, char fill)
    {
        var deep = root;
        for (var i = 0; length - deep.Length - 1 > 200; i++)
        {
            var take = Math.Min(250, length - deep.Length - 1 - 200 - 1);
            deep = Path.Combine(deep, new string((char)('a' + (i % 26)), Math.Max(1, take)));
        }

        Directory.CreateDirectory(deep);
        return Path.Combine(deep, new string(fill, length - deep.Length - 1));
    }

    private static byte[] Line(int i, int length)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill((byte)('a' + (i % 26)));
        bytes[^1] = (byte)'\n';
        return bytes;
    }

}
