using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// `vaultik mount` through a real FUSE mount (/dev/fuse, fusermount3 from Debian's fuse3): the tree read
/// through the mount equals the original (contents, modes, owners, mtimes to the nanosecond, symlinks, hard-link
/// counts), a multi-chunk file reads right at random offsets, the hosts/ and latest links resolve, writes fail
/// with EROFS; on every kind of store.
/// </summary>
public abstract class MountTests : StoreScenarioTests
{
    [SkippableFact]
    public async Task The_tree_read_through_the_mount_equals_the_original()
    {
        using var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nhostname: host-a\n");
        TestTree.Build(box.Source, largeFileBytes: 24L << 20, smallFiles: 40);
        File.WriteAllText(Path.Combine(box.Source, "hard-a"), "two names\n");
        MountedVaultik.Run("ln", Path.Combine(box.Source, "hard-a"), Path.Combine(box.Source, "hard-b"));
        MountedVaultik.Run("chown", "1234:5678", Path.Combine(box.Source, "secret.txt"));
        MountedVaultik.Run("chown", "77:88", Path.Combine(box.Source, "nested"));
        MountedVaultik.Run("chown", "-h", "4321:8765", Path.Combine(box.Source, "link-relative"));
        MountedVaultik.Run("touch", "-h", "-d", "2011-01-02 03:04:05.123456789", Path.Combine(box.Source, "link-dangling"));
        await box.RunOkAsync(0, "snapshot", "create", "--name", "docs", box.Source);

        var mnt = box.Dir.Combine("mnt");
        using var mount = await MountedVaultik.StartAsync(box.Cli, mnt, "--identity", box.IdentityPath);
        var id = Assert.Single(Directory.GetDirectories(Path.Combine(mnt, "snapshots"))).Split('/')[^1];
        var tree = Sandbox.Restored(Path.Combine(mnt, "snapshots", id), box.Source);
        Assert.Empty(TreeComparer.Compare(box.Source, tree));

        // What TreeComparer does not see: owners, nanoseconds, link counts, sizes, one inode for both names.
        const string format = "%F|%a|%u:%g|%h|%s|%.9Y";
        foreach (var name in new[] { "secret.txt", "link-relative", "link-dangling", "hard-a", "hard-b", "large.bin", "many/small-0003.bin" })
        {
            Assert.Equal(MountedVaultik.Stat(Path.Combine(box.Source, name), format), MountedVaultik.Stat(Path.Combine(tree, name), format));
        }

        // A directory's size and link count are not stored (the mount shows 0 and 1, "unknown").
        const string directoryFormat = "%F|%a|%u:%g|%.9Y";
        Assert.Equal(MountedVaultik.Stat(Path.Combine(box.Source, "nested"), directoryFormat), MountedVaultik.Stat(Path.Combine(tree, "nested"), directoryFormat));

        Assert.Equal("2", MountedVaultik.Stat(Path.Combine(tree, "hard-a"), "%h"));
        Assert.Equal(MountedVaultik.Stat(Path.Combine(tree, "hard-a"), "%i"), MountedVaultik.Stat(Path.Combine(tree, "hard-b"), "%i"));
        Assert.NotEqual(MountedVaultik.Stat(Path.Combine(tree, "hard-a"), "%i"), MountedVaultik.Stat(Path.Combine(tree, "secret.txt"), "%i"));

        // A multi-chunk file at random offsets and lengths, across chunk boundaries.
        var original = await File.ReadAllBytesAsync(Path.Combine(box.Source, "large.bin"));
        var random = new Random(7);
        await using (var through = new FileStream(Path.Combine(tree, "large.bin"), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
        {
            for (var i = 0; i < 60; i++)
            {
                var offset = random.NextInt64(original.Length);
                var buffer = new byte[random.Next(1, 3 << 20)];
                through.Position = offset;
                var n = await through.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
                Assert.Equal((int)Math.Min(buffer.Length, original.Length - offset), n);
                Assert.True(original.AsSpan((int)offset, n).SequenceEqual(buffer.AsSpan(0, n)), $"bytes at {offset}+{n} differ");
            }
        }

        // hosts/<host>/<id>, latest and latest-<name>.
        var host = Path.Combine(mnt, "hosts", "host-a");
        Assert.Equal(["host-a"], Directory.GetFileSystemEntries(Path.Combine(mnt, "hosts")).Select(Path.GetFileName));
        Assert.Equal(new[] { id, "latest", "latest-docs" }.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(host).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal));
        Assert.Equal($"../../snapshots/{id}", new FileInfo(Path.Combine(host, id)).LinkTarget);
        Assert.Equal(id, new FileInfo(Path.Combine(host, "latest")).LinkTarget);
        Assert.Equal(id, new FileInfo(Path.Combine(host, "latest-docs")).LinkTarget);
        Assert.Equal("leaf\n", await File.ReadAllTextAsync(Path.Combine(Sandbox.Restored(Path.Combine(host, "latest-docs"), box.Source), "nested/deeper/deepest/leaf.txt")));

        // Read-only: creating, writing, removing and making directories all fail with EROFS.
        var rofs = "Read-only file system";
        Assert.Contains(rofs, Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(tree, "new.txt"), "x")).Message);
        Assert.Contains(rofs, Assert.ThrowsAny<IOException>(() => File.OpenWrite(Path.Combine(tree, "hard-a")).Dispose()).Message);
        Assert.Contains(rofs, Assert.ThrowsAny<IOException>(() => File.Delete(Path.Combine(tree, "hard-a"))).Message);
        Assert.Contains(rofs, Assert.ThrowsAny<IOException>(() => Directory.CreateDirectory(Path.Combine(tree, "newdir"))).Message);
        Assert.Equal("two names\n", await File.ReadAllTextAsync(Path.Combine(tree, "hard-a")));

        MountedVaultik.Run("kill", "-TERM", mount.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (code, stderr) = await mount.WaitAsync();
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.False(MountedVaultik.IsMounted(mnt));
        Assert.Empty(Directory.GetFileSystemEntries(mnt));
    }
}
