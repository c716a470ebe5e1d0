using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>The mount's lifecycle and refusals, on a local store (the S3 variant runs the shared tree test).</summary>
public sealed class LocalMountTests : MountTests
{
    protected override TestStore Store { get; } = new TestStore.Local();

    [Fact]
    public async Task Fusermount_unmounts_and_the_process_exits_0()
    {
        using var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nhostname: host-a\n");
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a\n");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var other = box.SecondHost("host-b");
        File.WriteAllText(Path.Combine(box.Source, "b.txt"), "b\n");
        var made = await other.RunAsync("snapshot", "create", "--name", "second", box.Source);
        Assert.True(made.ExitCode == 0, made.ToString());

        var mnt = box.Dir.Combine("mnt");
        using var mount = await MountedVaultik.StartAsync(box.Cli, mnt, "--identity", box.IdentityPath);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(mnt, "snapshots")).Length);
        Assert.Equal(["host-a", "host-b"], Directory.GetFileSystemEntries(Path.Combine(mnt, "hosts")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("b\n", await File.ReadAllTextAsync(Sandbox.Restored(Path.Combine(mnt, "hosts", "host-b", "latest-second"), Path.Combine(box.Source, "b.txt"))));
        Assert.False(File.Exists(Sandbox.Restored(Path.Combine(mnt, "hosts", "host-a", "latest"), Path.Combine(box.Source, "b.txt"))));

        MountedVaultik.Run("fusermount3", "-u", mnt);
        var (code, stderr) = await mount.WaitAsync();
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.False(MountedVaultik.IsMounted(mnt));
    }

    [Fact]
    public async Task Host_and_name_select_the_snapshots_mounted_and_SIGINT_unmounts()
    {
        using var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nhostname: host-a\n");
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a\n");
        await box.RunOkAsync(0, "snapshot", "create", "--name", "one", box.Source);
        await box.RunOkAsync(0, "snapshot", "create", "--name", "two", box.Source);
        var mnt = box.Dir.Combine("mnt");
        using var mount = await MountedVaultik.StartAsync(box.Cli, mnt, "--identity", box.IdentityPath, "--host", "host-a", "--name", "two");
        var id = Assert.Single(Directory.GetDirectories(Path.Combine(mnt, "snapshots"))).Split('/')[^1];
        Assert.Equal(id, new FileInfo(Path.Combine(mnt, "hosts", "host-a", "latest-two")).LinkTarget);
        Assert.False(Path.Exists(Path.Combine(mnt, "hosts", "host-a", "latest-one")));

        MountedVaultik.Run("kill", "-INT", mount.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (code, stderr) = await mount.WaitAsync();
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.False(MountedVaultik.IsMounted(mnt));
    }

    [Fact]
    public async Task A_missing_non_directory_or_non_empty_mountpoint_is_refused_with_one_line()
    {
        using var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nhostname: host-a\n");
        var file = box.Dir.Combine("a-file");
        File.WriteAllText(file, "x");
        var full = box.Dir.Combine("full");
        Directory.CreateDirectory(full);
        File.WriteAllText(Path.Combine(full, "x"), "x");
        foreach (var (at, reason) in new[] { (box.Dir.Combine("missing"), "no such directory"), (file, "not a directory"), (full, "the directory is not empty") })
        {
            var result = await box.RunOkAsync(1, "mount", at, "--identity", box.IdentityPath);
            Assert.Equal($"vaultik: error: cannot mount at {at}: {reason}", result.StdErr.Trim());
            Assert.False(MountedVaultik.IsMounted(at));
        }

        await box.RunOkAsync(2, "mount");
    }
}
