using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>Bad configuration and bad input: one clear line on stderr, exit 2, nothing written.</summary>
public sealed class ConfigErrorTests
{
    [Theory]
    [InlineData("storag_url: file:///tmp/x\n", "storag_url")]
    [InlineData("blob_size_limit: 12 parsecs\n", "blob_size_limit")]
    [InlineData("age_recipients: [age1notakey]\n", "age_recipients")]
    public async Task A_bad_config_key_is_named_and_exits_2_before_writing(string extra, string expectedInMessage)
    {
        using var box = await Sandbox.CreateAsync();
        var text = File.ReadAllText(box.ConfigPath);
        if (extra.StartsWith("age_recipients", StringComparison.Ordinal))
        {
            text = string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("age_recipients", StringComparison.Ordinal) && !l.TrimStart().StartsWith("- age1", StringComparison.Ordinal)));
        }

        File.WriteAllText(box.ConfigPath, text + "\n" + extra);
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        var result = await box.RunOkAsync(2, "snapshot", "create", box.Source);
        Assert.Contains(expectedInMessage, result.StdErr);
        Assert.Single(result.StdErr.Trim().Split('\n'));
        Assert.False(Directory.Exists(box.StorePath));
    }

    [Fact]
    public async Task A_missing_source_path_exits_2_and_writes_nothing()
    {
        using var box = await Sandbox.CreateAsync();
        var result = await box.RunOkAsync(2, "snapshot", "create", box.Dir.Combine("no-such-dir"));
        Assert.Contains("no-such-dir", result.StdErr);
        Assert.False(Directory.Exists(box.StorePath));
    }

    [Fact]
    public async Task An_unknown_flag_exits_2()
    {
        using var box = await Sandbox.CreateAsync();
        var result = await box.RunOkAsync(2, "snapshot", "create", "--no-such-flag");
        Assert.Contains("--no-such-flag", result.StdErr);
    }

    [Fact]
    public async Task Restore_without_any_identity_exits_2()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var result = await box.RunOkAsync(2, "restore", "latest", box.Dir.Combine("r"));
        Assert.Contains("--identity", result.StdErr);
    }
}
