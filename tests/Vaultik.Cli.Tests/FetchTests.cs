using System.Text.RegularExpressions;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>`vaultik fetch`: one file, byte-exact, downloading only what covers its frames; on every kind of store.</summary>
public abstract partial class FetchTests : StoreScenarioTests
{
    [SkippableFact]
    public async Task Fetch_is_byte_exact_for_empty_small_multi_chunk_and_large_files()
    {
        using var box = await BoxAsync();
        var empty = Path.Combine(box.Source, "empty");
        var small = Path.Combine(box.Source, "small.txt");
        var multi = Path.Combine(box.Source, "multi.bin");
        var large = Path.Combine(box.Source, "large.bin");
        File.WriteAllBytes(empty, []);
        File.WriteAllText(small, "small file\n");
        TestTree.WriteLargeFile(multi, 12L << 20, seed: 4);
        TestTree.WriteLargeFile(large, 200L << 20, seed: 5);
        File.SetUnixFileMode(small, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        foreach (var file in new[] { empty, small, multi, large })
        {
            var output = box.Dir.Combine("out-" + Path.GetFileName(file));
            await box.RunOkAsync(0, "fetch", "latest", file, "--output", output, "--identity", box.IdentityPath);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(output)), $"{file} differs");
            Assert.Equal(File.GetLastWriteTimeUtc(file), File.GetLastWriteTimeUtc(output));
            Assert.Equal(File.GetUnixFileMode(file), File.GetUnixFileMode(output));
        }

        var stdout = await box.RunOkAsync(0, "fetch", "latest", small, "--identity", box.IdentityPath);
        Assert.Equal("small file\n", stdout.StdOut);
    }

    [SkippableFact]
    public async Task Fetching_a_1_MiB_file_from_a_large_blob_downloads_little_more_than_its_frames()
    {
        using var box = await MeteredBoxAsync();
        File.AppendAllText(box.ConfigPath, "\nblob_size_limit: 1GiB\n");
        TestTree.WriteLargeFile(Path.Combine(box.Source, "a-before.bin"), 30L << 20, seed: 1);
        var target = Path.Combine(box.Source, "b-target.bin");
        TestTree.WriteLargeFile(target, 1L << 20, seed: 2);
        TestTree.WriteLargeFile(Path.Combine(box.Source, "c-after.bin"), 30L << 20, seed: 3);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        // Two blobs: the data, and the snapshot's row stream (format 3 metadata), a few KiB.
        var blobs = (await Store.ListAsync(box, "blobs/")).OrderByDescending(b => b.Size).ToList();
        Assert.Equal(2, blobs.Count);
        Assert.True(blobs[0].Size > 40L << 20);
        Assert.True(blobs[1].Size < 64 << 10);

        var output = box.Dir.Combine("out.bin");
        var (result, downloaded) = await Store.RunMeteredAsync(box, "fetch", "latest", target, "--output", output, "--identity", box.IdentityPath, "--stats");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(File.ReadAllBytes(target), File.ReadAllBytes(output));
        // Counted outside vaultik (the S3 proxy's response bytes, or every byte the process read from files):
        // the file is one or two chunks, at most 2 x its size plus 128 KiB per chunk boundary and the header read,
        // with 1 MiB for everything else (manifest, metadata, listings, the runtime's own files); the blob is 61 MiB.
        Assert.True(downloaded < (2L << 20) + (2 * 128 * 1024) + (1L << 20), $"downloaded {downloaded} bytes for a 1 MiB file out of a {blobs[0].Size}-byte blob");
        var fetched = long.Parse(Fetched().Match(result.StdErr).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(fetched <= downloaded, $"vaultik says it fetched {fetched} bytes, more than the {downloaded} counted");
    }

    [SkippableTheory]
    [InlineData("dir", "is a directory")]
    [InlineData("link", "is a symlink to dir")]
    [InlineData("absent", "no such file")]
    public async Task Fetch_refuses_what_is_not_a_regular_file(string name, string message)
    {
        using var box = await BoxAsync();
        Directory.CreateDirectory(Path.Combine(box.Source, "dir"));
        File.CreateSymbolicLink(Path.Combine(box.Source, "link"), "dir");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var result = await box.RunOkAsync(1, "fetch", "latest", Path.Combine(box.Source, name), "--identity", box.IdentityPath);
        Assert.Contains(message, result.StdErr);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [GeneratedRegex(@"fetched (\d+) bytes of blob data")]
    private static partial Regex Fetched();
}
