using Vaultik.Core.Platform;
using Vaultik.Core.Restore;

namespace Vaultik.Core.Tests.Restore;

/// <summary>TargetTree keeps every operation beneath the target: symlinks in the target are never followed.</summary>
public sealed class TargetTreeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-tree-").FullName;

    private string Target => Path.Combine(_dir, "t");

    private string Outside => Path.Combine(_dir, "outside");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void PlantLink(string relative)
    {
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "f"), "outside");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Target, relative))!);
        File.CreateSymbolicLink(Path.Combine(Target, relative), Outside);
    }

    [Fact]
    public void CreateFile_makes_a_0600_file_and_the_mode_comes_only_from_SetMode()
    {
        using var tree = new TargetTree(Target, overwrite: false);
        using (tree.CreateFile("a/b/f"))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Target, "a/b/f")));
            Assert.Equal(Convert.ToInt32("700", 8), Posix.Lstat(Path.Combine(Target, "a/b")).Mode);
        }

        tree.SetMode("a/b/f", Convert.ToInt32("4755", 8));
        Assert.Equal(Convert.ToInt32("4755", 8), Posix.Lstat(Path.Combine(Target, "a/b/f")).Mode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Nothing_is_created_read_or_changed_through_a_symlinked_parent(bool overwrite)
    {
        PlantLink("d");
        using var tree = new TargetTree(Target, overwrite);
        Assert.Throws<IOException>(() => tree.SetMode("d/f", 0));
        Assert.Throws<IOException>(() => tree.SetTimes("d/f", 0));
        Assert.Throws<IOException>(() => tree.SetOwner("d/f", 0, 0));
        Assert.Throws<IOException>(() => tree.OpenFile("d/f").Dispose());
        Assert.False(tree.IsDirectory("d"));
        Assert.False(tree.Matches("d/f", 7, []));
        if (overwrite)
        {
            // Overwriting replaces the link itself with a real directory; what it pointed at is never touched.
            tree.CreateFile("d/g").Dispose();
            Assert.True(Posix.Lstat(Path.Combine(Target, "d")).IsDirectory);
            Assert.True(File.Exists(Path.Combine(Target, "d", "g")));
        }
        else
        {
            Assert.Contains("symlink", Assert.Throws<IOException>(() => tree.CreateFile("d/g")).Message);
            Assert.Throws<IOException>(() => tree.EnsureDirectory("d/sub"));
            Assert.True(Posix.Lstat(Path.Combine(Target, "d")).IsSymlink);
        }

        Assert.Equal(["f"], Directory.EnumerateFileSystemEntries(Outside).Select(Path.GetFileName));
        Assert.Equal("outside", File.ReadAllText(Path.Combine(Outside, "f")));
    }

    [Fact]
    public void Remove_deletes_a_symlink_itself_and_never_what_is_behind_one_inside_a_removed_directory()
    {
        PlantLink("x/link");
        using var tree = new TargetTree(Target, overwrite: true);
        tree.Remove("x");
        Assert.False(Directory.Exists(Path.Combine(Target, "x")));
        Assert.True(File.Exists(Path.Combine(Outside, "f")));
    }

    [Fact]
    public void Hard_links_resolve_both_ends_beneath_the_target()
    {
        PlantLink("via");
        using var tree = new TargetTree(Target, overwrite: true);
        Assert.Throws<IOException>(() => tree.CreateHardLink("via/f", "mine"));
        Assert.False(File.Exists(Path.Combine(Target, "mine")));
        using (tree.CreateFile("real/a"))
        {
        }

        tree.CreateHardLink("real/a", "b");
        Assert.Equal(2UL, Posix.Lstat(Path.Combine(Target, "b")).LinkCount);
    }

    [Fact]
    public void More_directories_than_the_cache_holds_still_resolve()
    {
        using var tree = new TargetTree(Target, overwrite: false);
        for (var i = 0; i < DirectoryHandles.MaxCached * 3; i++)
        {
            using (tree.CreateFile($"d{i % 400}/e{i}/f"))
            {
            }
        }

        Assert.True(tree.IsDirectory("d7/e7"));
        Assert.Equal(DirectoryHandles.MaxCached * 3 / 400 + 1, tree.ChildNames("d7").Count);
    }
}
