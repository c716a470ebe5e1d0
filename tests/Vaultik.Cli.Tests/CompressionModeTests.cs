using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>The <c>compression</c> config key end to end: snapshots restore byte for byte whatever it says, and a bad value is a usage error.</summary>
public sealed class CompressionModeTests
{
    private static async Task<(Sandbox Box, long Stored, long Source)> SnapshotAndRestoreAsync(string mode)
    {
        var box = await Sandbox.CreateAsync();
        File.AppendAllText(box.ConfigPath, $"\ncompression: {mode}\n");
        var random = new byte[3 << 20];
        new Random(5).NextBytes(random);
        File.WriteAllBytes(Path.Combine(box.Source, "random.bin"), random);
        File.WriteAllText(Path.Combine(box.Source, "text.txt"), string.Concat(Enumerable.Range(0, 60_000).Select(i => $"line {i % 977} of a compressible file\n")));
        var half = new byte[2 << 20];
        new Random(6).NextBytes(half.AsSpan(0, 1 << 20));
        File.WriteAllBytes(Path.Combine(box.Source, "half.bin"), half);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
        var stored = Directory.EnumerateFiles(Path.Combine(box.StorePath, "blobs"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var source = Directory.EnumerateFiles(box.Source).Sum(f => new FileInfo(f).Length);
        return (box, stored, source);
    }

    [Fact]
    public async Task Off_and_auto_snapshots_restore_byte_identical_and_only_auto_shrinks_the_compressible_files()
    {
        var (off, offStored, source) = await SnapshotAndRestoreAsync("off");
        using (off)
        {
            Assert.True(offStored > source, $"off stored {offStored} bytes of blobs for {source} bytes of files");
        }

        var (auto, autoStored, _) = await SnapshotAndRestoreAsync("auto");
        using (auto)
        {
            // The random 3 MiB stay raw, the text and the zero half compress.
            Assert.True(autoStored < source - (1 << 20), $"auto stored {autoStored} bytes of blobs for {source} bytes of files");
            Assert.True(autoStored > 3 << 20, $"auto stored {autoStored} bytes of blobs");
        }
    }

    [Fact]
    public async Task A_bad_compression_value_is_a_usage_error_naming_the_key_and_its_line()
    {
        using var box = await Sandbox.CreateAsync();
        var config = File.ReadAllText(box.ConfigPath).TrimEnd('\n') + "\n";
        var line = config.Count(c => c == '\n') + 1;
        File.WriteAllText(box.ConfigPath, config + "compression: fast\n");
        var result = await box.RunOkAsync(2, "snapshot", "create", box.Source);
        var error = result.StdErr.TrimEnd('\n');
        Assert.DoesNotContain('\n', error);
        Assert.Contains($"config.yml:{line}: compression: 'fast' must be auto, max or off", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(box.StorePath, "blobs")) && Directory.EnumerateFiles(Path.Combine(box.StorePath, "blobs"), "*", SearchOption.AllDirectories).Any());
    }
}
