using System.Diagnostics;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Attacks on the restore target through the real CLI: symlinks planted in the target (as a parent of restored
/// entries, as the target itself, swapped in while the restore runs) must never let a restore read, change or
/// delete anything outside the target.
/// </summary>
public sealed class TargetConfinementTests
{
    private static readonly DateTime Old = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A directory outside every target, holding <paramref name="files"/> (name → content), mode 0644, old mtimes.</summary>
    private static string Outside(Sandbox box, params (string Name, string Content)[] files)
    {
        var outside = box.Dir.Combine("outside");
        Directory.CreateDirectory(outside);
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(outside, name);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.SetLastWriteTimeUtc(path, Old);
        }

        return outside;
    }

    [Fact]
    public async Task A_symlinked_parent_in_the_target_is_replaced_not_followed_and_nothing_behind_it_changes()
    {
        using var box = await Sandbox.CreateAsync();
        Directory.CreateDirectory(Path.Combine(box.Source, "real"));
        File.WriteAllText(Path.Combine(box.Source, "real", "f"), "from the snapshot");
        File.CreateSymbolicLink(Path.Combine(box.Source, "link"), "real");
        await box.RunOkAsync(0, "snapshot", "create", Path.Combine(box.Source, "link", "f"));

        var outside = Outside(box, ("f", "precious"));
        var target = box.Dir.Combine("t");
        Directory.CreateDirectory(Sandbox.Restored(target, box.Source));
        File.CreateSymbolicLink(Sandbox.Restored(target, Path.Combine(box.Source, "link")), outside);
        var before = TreeFingerprint.Of(outside);

        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--overwrite");
        Assert.Equal(before, TreeFingerprint.Of(outside));
        var link = Sandbox.Restored(target, Path.Combine(box.Source, "link"));
        Assert.True(Posix.Lstat(link).IsDirectory, "with --overwrite the planted symlink is replaced by a real directory, never followed");
        Assert.Equal("from the snapshot", File.ReadAllText(Path.Combine(link, "f")));
    }

    [Fact]
    public async Task Dry_run_never_reads_a_decoy_behind_a_symlinked_parent_as_matching()
    {
        using var box = await Sandbox.CreateAsync();
        Directory.CreateDirectory(Path.Combine(box.Source, "d"));
        File.WriteAllText(Path.Combine(box.Source, "d", "f"), "same content");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var outside = Outside(box, ("f", "same content"));
        var target = box.Dir.Combine("t");
        Directory.CreateDirectory(Sandbox.Restored(target, box.Source));
        File.CreateSymbolicLink(Sandbox.Restored(target, Path.Combine(box.Source, "d")), outside);

        var result = JsonDocument.Parse((await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--dry-run", "--json")).StdOut).RootElement;
        Assert.Equal(0, result.GetProperty("files_unchanged").GetInt64());
    }

    [Fact]
    public async Task Delete_and_verify_through_a_symlinked_parent_touch_nothing_outside()
    {
        using var box = await Sandbox.CreateAsync();
        Directory.CreateDirectory(Path.Combine(box.Source, "d", "sub"));
        File.WriteAllText(Path.Combine(box.Source, "d", "keep.txt"), "keep");
        File.WriteAllText(Path.Combine(box.Source, "d", "sub", "keep.txt"), "keep");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("t");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);

        var outside = Outside(box, ("victim.txt", "not in the snapshot"), ("keep.txt", "keep"));
        Directory.CreateDirectory(Path.Combine(outside, "sub"));
        File.WriteAllText(Path.Combine(outside, "sub", "victim.txt"), "deep victim");
        var restoredD = Sandbox.Restored(target, Path.Combine(box.Source, "d"));
        Directory.Delete(restoredD, recursive: true);
        File.CreateSymbolicLink(restoredD, outside);
        var before = TreeFingerprint.Of(outside);

        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--overwrite", "--delete", "--verify");
        Assert.Equal(before, TreeFingerprint.Of(outside));
        Assert.True(Posix.Lstat(restoredD).IsDirectory);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(restoredD, "sub", "keep.txt")));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("y")]
    public async Task Hard_links_through_a_symlinked_parent_touch_nothing_outside(string symlinked)
    {
        using var box = await Sandbox.CreateAsync();
        Directory.CreateDirectory(Path.Combine(box.Source, "x"));
        Directory.CreateDirectory(Path.Combine(box.Source, "y"));
        File.WriteAllText(Path.Combine(box.Source, "x", "a"), "linked");
        Posix.CreateHardLink(Path.Combine(box.Source, "x", "a"), Path.Combine(box.Source, "y", "a"));
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("t");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);

        var outside = Outside(box, ("a", "linked"));
        var restored = Sandbox.Restored(target, Path.Combine(box.Source, symlinked));
        Directory.Delete(restored, recursive: true);
        File.CreateSymbolicLink(restored, outside);
        var before = TreeFingerprint.Of(outside);

        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--overwrite");
        Assert.Equal(before, TreeFingerprint.Of(outside));
        Assert.Equal(2UL, Posix.Lstat(Sandbox.Restored(target, Path.Combine(box.Source, "y", "a"))).LinkCount);
    }

    [Fact]
    public async Task A_target_that_is_a_symlink_is_refused()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "f"), "content");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var real = box.Dir.Combine("real");
        Directory.CreateDirectory(real);
        var target = box.Dir.Combine("t");
        File.CreateSymbolicLink(target, real);

        var result = await box.RunOkAsync(2, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Contains($"cannot restore into {target}: it is a symlink", result.StdErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(real));
    }

    [Fact]
    public async Task Directories_swapped_for_symlinks_while_restoring_never_redirect_a_write()
    {
        using var box = await Sandbox.CreateAsync();
        var decoy = box.Dir.Combine("decoy");
        for (var i = 0; i < 10; i++)
        {
            for (var j = 0; j < 10; j++)
            {
                var dir = Directory.CreateDirectory(Path.Combine(box.Source, $"d{i}", $"e{j}")).FullName;
                var decoyDir = Directory.CreateDirectory(Path.Combine(decoy, $"d{i}", $"e{j}")).FullName;
                for (var k = 0; k < 30; k++)
                {
                    File.WriteAllText(Path.Combine(dir, $"f{k}.txt"), $"restored {i} {j} {k}");
                    File.WriteAllText(Path.Combine(decoyDir, $"f{k}.txt"), $"decoy {i} {j} {k}");
                    File.SetUnixFileMode(Path.Combine(decoyDir, $"f{k}.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
                    File.SetLastWriteTimeUtc(Path.Combine(decoyDir, $"f{k}.txt"), Old);
                }
            }
        }

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var before = TreeFingerprint.Of(decoy);
        var target = box.Dir.Combine("t");
        var restoredRoot = Sandbox.Restored(target, box.Source);
        var swaps = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var racer = Task.Run(() =>
        {
            var random = new Random(13);
            for (var n = 0; n < 2_000_000 && !stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(10); n++)
            {
                var i = random.Next(10);
                var sub = random.Next(2) == 0 ? $"d{i}" : Path.Combine($"d{i}", $"e{random.Next(10)}");
                swaps += Swap(Path.Combine(restoredRoot, sub), Path.Combine(decoy, sub)) ? 1 : 0;
            }
        });

        for (var run = 0; run < 3 && clock.Elapsed < TimeSpan.FromSeconds(8); run++)
        {
            var result = await box.RunAsync(["restore", "latest", target, "--identity", box.IdentityPath, .. run == 0 ? Array.Empty<string>() : ["--overwrite"]]);
            Assert.True(result.ExitCode is 0 or 1, result.ToString());
        }

        await stop.CancelAsync();
        await racer;
        Assert.True(swaps > 0, "the racer never swapped a directory");
        Assert.Equal(before, TreeFingerprint.Of(decoy));
    }

    /// <summary>Swaps the real directory <paramref name="path"/> for a symlink to <paramref name="decoy"/> for a moment, then back; false when the race made it fail.</summary>
    private static bool Swap(string path, string decoy)
    {
        var aside = path + ".aside";
        try
        {
            Directory.Move(path, aside);
            File.CreateSymbolicLink(path, decoy);
            Thread.SpinWait(2000);
            File.Delete(path);
            Directory.Move(aside, path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
