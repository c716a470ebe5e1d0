using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Errors found by comparing two config keys: the line named is the offending key's own line (never line 1),
/// and the message says what value would do; that value is then accepted.
/// </summary>
public sealed class ConfigCrossKeyTests
{
    [Theory]
    [InlineData("blob_size_limit: 1MiB", "", "blob_size_limit: must be at least twice chunk_max_size (4 MiB): set 8MiB or more", "blob_size_limit: 8MiB")]
    [InlineData("chunk_max_size: 8MiB", "blob_size_limit: 10MiB", "blob_size_limit: must be at least twice chunk_max_size (8 MiB): set 16MiB or more", "blob_size_limit: 16MiB")]
    [InlineData("chunk_min_size: 2MiB", "", "chunk_min_size: must be at most chunk_avg_size (1 MiB): set 1MiB or less", "chunk_min_size: 1MiB")]
    [InlineData("chunk_avg_size: 8MiB", "", "chunk_avg_size: must be at most chunk_max_size (4 MiB): set 4MiB or less", "chunk_avg_size: 4MiB")]
    [InlineData("chunk_max_size: 512KiB", "", "chunk_max_size: must be at least chunk_avg_size (1 MiB): set 1MiB or more", "chunk_max_size: 1MiB")]
    [InlineData("chunk_avg_size: 128KiB", "", "chunk_avg_size: must be at least chunk_min_size (256 KiB): set 256KiB or more", "chunk_avg_size: 256KiB")]
    public async Task A_cross_key_error_names_the_offending_keys_line_and_a_value_that_would_do(string earlier, string offending, string message, string fix)
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        var original = File.ReadAllText(box.ConfigPath).TrimEnd('\n');
        // The checked key comes after filler lines, so line 1 can never be right by accident.
        var lines = new List<string>(original.Split('\n')) { "# filler", "# filler", earlier };
        if (offending.Length > 0)
        {
            lines.Add("# filler");
            lines.Add(offending);
        }

        var offendingLine = lines.Count; // 1-based: the last line written is the offending one
        File.WriteAllText(box.ConfigPath, string.Join('\n', lines) + "\n");
        var result = await box.RunOkAsync(2, "snapshot", "create", box.Source);
        Assert.Single(result.StdErr.Trim().Split('\n'));
        Assert.Contains($"config.yml:{offendingLine}: {message}", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(box.StorePath));

        // The value the message suggests is accepted.
        lines[^1] = fix;
        File.WriteAllText(box.ConfigPath, string.Join('\n', lines) + "\n");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
    }

    [Fact]
    public async Task A_hostname_too_long_for_a_snapshot_name_names_the_hostname_line_and_its_longest_fitting_length()
    {
        using var box = await Sandbox.CreateAsync();
        var lines = File.ReadAllText(box.ConfigPath).TrimEnd('\n').Split('\n').ToList();
        lines.Add("# filler");
        lines.Add("hostname: " + new string('h', 120));
        var hostLine = lines.Count;
        var name = new string('n', 60);
        lines.Add("snapshots:");
        lines.Add($"  {name}:");
        lines.Add("    paths: [/tmp]");
        File.WriteAllText(box.ConfigPath, string.Join('\n', lines) + "\n");
        var result = await box.RunOkAsync(2, "snapshot", "list");
        Assert.Single(result.StdErr.Trim().Split('\n'));
        // 200 characters an id may have, 28 fixed, 60 for the name: the hostname may have 112.
        Assert.Contains($"config.yml:{hostLine}: hostname: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("set a hostname of at most 112 characters", result.StdErr, StringComparison.Ordinal);
    }
}
