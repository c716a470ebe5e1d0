using System.Text;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>The private key never reaches the store, the index or the output; key and config files are private.</summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task The_identity_is_never_written_to_the_store_the_index_or_logs()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        var secret = File.ReadAllLines(box.IdentityPath).Single(l => l.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal));
        box.Cli.Environment["VAULTIK_AGE_SECRET_KEY"] = secret;
        var create = await box.RunOkAsync(0, "--verbose", "snapshot", "create", box.Source);
        var restore = await box.RunOkAsync(0, "--verbose", "restore", "latest", box.Dir.Combine("r"));
        foreach (var output in new[] { create.StdOut, create.StdErr, restore.StdOut, restore.StdErr })
        {
            Assert.DoesNotContain(secret, output, StringComparison.OrdinalIgnoreCase);
        }

        var files = Directory.EnumerateFiles(box.StorePath, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(box.Dir.Path, "index.sqlite*"));
        foreach (var file in files)
        {
            var text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret[16..40], text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Key_and_config_files_are_0600_and_a_readable_identity_draws_a_warning()
    {
        using var box = await Sandbox.CreateAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(box.IdentityPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(box.ConfigPath));
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        File.SetUnixFileMode(box.IdentityPath, (UnixFileMode)0b110_100_100);
        var restore = await box.RunOkAsync(0, "restore", "latest", box.Dir.Combine("r"), "--identity", box.IdentityPath);
        Assert.Contains("readable by other users", restore.StdErr);
    }
}
