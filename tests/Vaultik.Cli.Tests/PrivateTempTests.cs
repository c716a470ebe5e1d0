using System.Diagnostics;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Decrypted metadata lives only in a 0700 run directory with 0600 files, watched while a run is going; it is
/// removed on exit and SIGINT, and after a SIGKILL by the next run. The index and the staging area are private too.
/// </summary>
public sealed class PrivateTempTests
{
    private const UnixFileMode OthersAndGroup = (UnixFileMode)0x3F;

    private static string TempBase(Sandbox box) => Path.Combine(box.Cli.Home, ".cache", "vaultik", "tmp");

    private static async Task<Sandbox> SnapshotAsync()
    {
        var box = await Sandbox.CreateAsync();
        TestTree.Build(Path.Combine(box.Source, "tree"), largeFileBytes: 64 << 20, smallFiles: 2000, seed: 4);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        return box;
    }

    /// <summary>
    /// Starts a restore from a slow store (every operation waits, so the run cannot finish between two looks)
    /// and waits until its decrypted metadata exists, checking every mode seen on the way.
    /// </summary>
    private static async Task<(Process Process, string RunDir)> StartRestoreAsync(Sandbox box, string target)
    {
        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = "400";
        var process = box.Cli.Start("restore", "latest", target, "-i", box.IdentityPath);
        box.Cli.Environment["VAULTIK_FAULT_LATENCY_MS"] = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if (Seen(box, process) is { } found)
                {
                    return (process, found);
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // A file went away between listing and stat (the encrypted copy is removed once decrypted).
            }

            await Task.Delay(2);
        }

        throw new Xunit.Sdk.XunitException($"the restore never showed its decrypted metadata: {await process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>Checks the modes of everything in the temporary base; returns the run directory once it holds the decrypted database.</summary>
    private static string? Seen(Sandbox box, Process process)
    {
        if (Directory.Exists(TempBase(box)))
        {
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(TempBase(box)) & OthersAndGroup);
            foreach (var dir in Directory.EnumerateDirectories(TempBase(box), "restore-*"))
            {
                Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(dir));
                var files = Directory.EnumerateFiles(dir).ToList();
                foreach (var file in files)
                {
                    Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file) & ~(UnixFileMode)0x180);
                }

                if (files.Any(f => f.EndsWith(".db", StringComparison.Ordinal)))
                {
                    Assert.EndsWith($"-{process.Id}", Path.GetFileName(dir)[..Path.GetFileName(dir).LastIndexOf('-')]);
                    return dir;
                }
            }
        }

        return null;
    }

    [Fact]
    public async Task A_restore_killed_with_SIGKILL_leaves_a_private_directory_that_the_next_run_removes()
    {
        using var box = await SnapshotAsync();
        var (process, runDir) = await StartRestoreAsync(box, box.Dir.Combine("r1"));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Assert.True(Directory.Exists(runDir), "a SIGKILLed run cannot clean up");
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(runDir));

        var next = await box.RunOkAsync(0, "fetch", "latest", Path.Combine(box.Source, "tree", "large.bin"), "-i", box.IdentityPath, "--output", box.Dir.Combine("large.bin"));
        Assert.False(Directory.Exists(runDir));
        Assert.Contains($"removed {runDir}", next.StdErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(TempBase(box)));
    }

    [Fact]
    public async Task A_restore_interrupted_with_SIGINT_removes_its_directory()
    {
        using var box = await SnapshotAsync();
        var (process, runDir) = await StartRestoreAsync(box, box.Dir.Combine("r1"));
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync();
        Assert.False(Directory.Exists(runDir), $"exit {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        process.Dispose();
    }

    [Fact]
    public async Task The_index_and_the_staging_area_are_private_and_finished_runs_leave_no_metadata()
    {
        using var box = await SnapshotAsync();
        foreach (var file in Directory.EnumerateFiles(box.Dir.Path, "index.sqlite*"))
        {
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file) & ~(UnixFileMode)0x180);
        }

        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(box.Dir.Combine("tmp")));
        await box.RunOkAsync(0, "verify", "--deep", "-i", box.IdentityPath);
        await box.RunOkAsync(0, "restore", "latest", box.Dir.Combine("r"), "-i", box.IdentityPath);
        Assert.Empty(Directory.EnumerateFileSystemEntries(TempBase(box)));
    }

    [SkippableFact]
    public async Task A_temporary_base_below_another_users_directory_is_refused_before_anything_is_decrypted()
    {
        Skip.IfNot(Posix.IsRoot, "needs root to hand a directory to another uid");
        using var box = await SnapshotAsync();

        // As when root runs with another user's XDG_CACHE_HOME (sudo -E): that user could swap the base for a symlink.
        var theirs = box.Dir.Combine("their-home");
        Directory.CreateDirectory(theirs);
        Posix.Lchown(theirs, 4242, 4242);
        box.Cli.Environment["XDG_CACHE_HOME"] = theirs;

        var restore = await box.RunOkAsync(1, "restore", "latest", box.Dir.Combine("r"), "-i", box.IdentityPath);
        Assert.Contains($"cannot use temporary directory {theirs}/vaultik/tmp: {theirs} belongs to uid 4242", restore.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(theirs));
        Assert.False(Directory.Exists(box.Dir.Combine("r")));
    }
}
