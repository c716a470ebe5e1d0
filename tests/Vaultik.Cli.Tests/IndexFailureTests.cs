using System.Diagnostics;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Only a damaged index is moved aside (costing one full re-upload); an index that is busy or cannot be written
/// is an error naming the cause, and the index is left where it is.
/// </summary>
public sealed class IndexFailureTests
{
    private static async Task<(Sandbox Box, string Index)> BoxAsync()
    {
        var box = await Sandbox.CreateAsync();
        var index = box.Dir.Combine("idx/index.sqlite");
        box.Cli.Environment["VAULTIK_INDEX_PATH"] = index;
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.True(File.Exists(index));
        return (box, index);
    }

    private static string[] MovedAside(string index) => Directory.GetFiles(Path.GetDirectoryName(index)!, "index.sqlite.corrupt-*");

    private static string LastLine(CliResult result) => result.StdErr.TrimEnd().Split('\n')[^1];

    [Fact]
    public async Task A_busy_index_is_an_error_naming_the_cause_and_is_not_moved_aside()
    {
        var (box, index) = await BoxAsync();
        using var _ = box;
        using var holder = Process.Start(new ProcessStartInfo("sqlite3", [index]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            holder.StandardInput.WriteLine("BEGIN EXCLUSIVE; SELECT 'held';");
            holder.StandardInput.Flush();
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));

            File.WriteAllText(Path.Combine(box.Source, "b.txt"), "b");
            var busy = await box.RunOkAsync(1, "snapshot", "create", box.Source);
            Assert.Matches($"^vaultik: error: cannot open index {index}: it is busy \\(another process holds a lock on it: .*database is locked.*\\)$", LastLine(busy));
            Assert.DoesNotContain("damaged", busy.StdErr);
            Assert.Empty(MovedAside(index));
            Assert.True(holder.HasExited is false, "the lock holder ended before the run");
        }
        finally
        {
            holder.StandardInput.WriteLine("COMMIT;");
            holder.StandardInput.Close();
            await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var next = await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.DoesNotContain("damaged", next.StdErr);
        Assert.Empty(MovedAside(index));
    }

    [Fact]
    public async Task An_index_whose_directory_cannot_be_written_is_an_error_and_is_not_moved_aside()
    {
        var (box, index) = await BoxAsync();
        using var _ = box;
        var dir = Path.GetDirectoryName(index)!;
        // We run as root, so modes do not stop us: the immutable attribute does (no -wal/-shm file can be created).
        Chattr("+i", dir);
        try
        {
            File.WriteAllText(Path.Combine(box.Source, "b.txt"), "b");
            var refused = await box.RunOkAsync(1, "snapshot", "create", box.Source);
            Assert.StartsWith($"vaultik: error: cannot open index {index}: ", LastLine(refused));
            Assert.Single(refused.StdErr.TrimEnd().Split('\n'), l => l.StartsWith("vaultik: error:", StringComparison.Ordinal));
            Assert.DoesNotContain("damaged", refused.StdErr);
        }
        finally
        {
            Chattr("-i", dir);
        }

        Assert.Empty(MovedAside(index));
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.Empty(MovedAside(index));
    }

    [Fact]
    public async Task A_truly_damaged_index_is_still_moved_aside_and_the_run_succeeds()
    {
        var (box, index) = await BoxAsync();
        using var _ = box;
        File.WriteAllBytes(index, [.. Enumerable.Repeat((byte)0x5a, 8192)]);
        var run = await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.Contains($"index {index} is damaged", run.StdErr);
        Assert.Single(MovedAside(index));
        await box.RunOkAsync(0, "verify");
    }

    private static void Chattr(string flag, string path)
    {
        using var p = Process.Start("chattr", [flag, path]);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"chattr {flag} {path} failed (needs root and a filesystem with attributes)");
    }
}
