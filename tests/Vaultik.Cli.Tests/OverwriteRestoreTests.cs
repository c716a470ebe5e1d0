using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// restore --overwrite replaces a differing file only once its new content is complete (issue 18): the content
/// goes to a temporary name beside it and is renamed over it, so a blob that fails leaves the user's file as it was.
/// </summary>
public abstract class OverwriteRestoreTests : StoreScenarioTests
{
    [SkippableFact]
    public async Task A_failed_blob_leaves_the_file_that_overwrite_would_replace_unchanged_and_no_temporary_file()
    {
        using var box = await BoxAsync();
        var source = Path.Combine(box.Source, "data.bin");
        TestTree.WriteLargeFile(source, 3 << 20, seed: 7);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        var restored = Sandbox.Restored(target, source);
        var edited = new byte[1 << 20];
        new Random(11).NextBytes(edited);
        File.WriteAllBytes(restored, edited);

        // The data blob is the largest (the other is the row stream's); damage it, then delete it.
        var blob = (await Store.ListAsync(box, "blobs/")).OrderByDescending(b => b.Size).First();
        foreach (var attack in new Func<Task>[] { () => Attacker.PutAsync(box, blob.Key, new byte[blob.Size]), () => Attacker.DeleteAsync(box, blob.Key) })
        {
            await attack();
            var result = await box.RunAsync("restore", "latest", target, "--identity", box.IdentityPath, "--overwrite");
            Assert.True(result.ExitCode == 1, $"expected exit 1\n{result}");
            var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Count(l => l.Contains("cannot restore", StringComparison.Ordinal)) == 1, $"expected one error line\n{result}");
            Assert.True(edited.AsSpan().SequenceEqual(File.ReadAllBytes(restored)), "the file --overwrite would replace changed although its new content failed");
            Assert.Equal(["data.bin"], Directory.GetFileSystemEntries(Path.GetDirectoryName(restored)!).Select(Path.GetFileName));
        }
    }

    [SkippableFact]
    public async Task Overwrite_replaces_a_differing_file_with_its_snapshot_content_and_keeps_its_metadata()
    {
        using var box = await BoxAsync();
        var source = Path.Combine(box.Source, "data.bin");
        TestTree.WriteLargeFile(source, 1 << 20, seed: 8);
        File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        var restored = Sandbox.Restored(target, source);
        File.WriteAllText(restored, "changed");
        File.SetUnixFileMode(restored, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--overwrite", "--verify");
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(restored));
        Assert.Equal(File.GetUnixFileMode(source), File.GetUnixFileMode(restored));
        Assert.Equal(File.GetLastWriteTimeUtc(source), File.GetLastWriteTimeUtc(restored));
        Assert.Equal(["data.bin"], Directory.GetFileSystemEntries(Path.GetDirectoryName(restored)!).Select(Path.GetFileName));
    }
}
