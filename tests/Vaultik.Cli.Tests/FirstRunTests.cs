using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>The README's zero-setup main job: the first `snapshot create` makes a key, a config and a local store.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task First_snapshot_with_no_config_sets_everything_up_and_restores()
    {
        using var dir = new TempDir();
        var cli = new CliRunner(dir.Combine("home"));
        var source = dir.Combine("Documents");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "letter.txt"), "dear backup");

        var first = await cli.RunAsync("snapshot", "create", source);
        Assert.True(first.ExitCode == 0, first.ToString());
        var identity = Path.Combine(cli.Home, ".config", "vaultik", "identity.txt");
        Assert.True(File.Exists(identity), first.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(identity));
        Assert.Contains(identity, first.StdErr);
        Assert.Contains("off this host", first.StdErr);
        Assert.True(File.Exists(Path.Combine(cli.Home, ".config", "vaultik", "config.yml")));
        Assert.True(Directory.Exists(Path.Combine(cli.Home, ".local", "share", "vaultik", "store", "blobs")));

        var second = await cli.RunAsync("snapshot", "create", source);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain("generated identity", second.StdErr);

        var target = dir.Combine("restore");
        var restore = await cli.RunAsync("restore", "latest", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal("dear backup", File.ReadAllText(Sandbox.Restored(target, Path.Combine(source, "letter.txt"))));
    }

    [Fact]
    public async Task Keygen_refuses_to_overwrite_and_init_refuses_without_force()
    {
        using var box = await Sandbox.CreateAsync();
        var again = await box.RunOkAsync(2, "keygen", "-o", box.IdentityPath);
        Assert.Contains("already exists", again.StdErr);
        var init = await box.RunOkAsync(2, "init", "--recipient", box.PublicKey);
        Assert.Contains("--force", init.StdErr);
        await box.RunOkAsync(0, "init", "--recipient", box.PublicKey, "--storage", box.StorageUrl, "--force");
    }
}
