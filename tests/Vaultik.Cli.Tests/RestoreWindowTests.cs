using System.Security.Cryptography;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>
/// A restore streams the snapshot in windows of 4096 entries (Restorer.WindowEntries): a tree larger than one
/// window, restored through the real CLI, still gets hard links whose first name was in an earlier window,
/// directory modes and times applied last, --delete and --overwrite across windows, and partial restores.
/// </summary>
public sealed class RestoreWindowTests
{
    private const int Spread = 4500;

    private static async Task<Sandbox> TreeAsync()
    {
        var box = await Sandbox.CreateAsync();
        var a = Directory.CreateDirectory(Path.Combine(box.Source, "a")).FullName;
        File.WriteAllBytes(Path.Combine(a, "first.bin"), RandomNumberGenerator.GetBytes(100_000));
        var b = Directory.CreateDirectory(Path.Combine(box.Source, "b")).FullName;
        for (var i = 0; i < Spread; i++)
        {
            File.WriteAllBytes(Path.Combine(b, $"f{i:D5}"), i % 500 == 0 ? RandomNumberGenerator.GetBytes(3000) : []);
        }

        var z = Directory.CreateDirectory(Path.Combine(box.Source, "z")).FullName;
        File.CreateSymbolicLink(Path.Combine(z, "sym"), "../a/first.bin");
        Posix.CreateHardLink(Path.Combine(a, "first.bin"), Path.Combine(z, "link.bin"));
        File.SetUnixFileMode(a, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        Directory.SetLastWriteTimeUtc(a, new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(b, new DateTime(2021, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        return box;
    }

    [Fact]
    public async Task A_tree_of_several_windows_restores_with_its_hard_links_and_directory_metadata()
    {
        using var box = await TreeAsync();
        var target = box.Dir.Combine("r");

        var result = JsonDocument.Parse((await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--json")).StdOut).RootElement;

        string R(string relative) => Sandbox.Restored(target, Path.Combine(box.Source, relative));
        Assert.Equal(File.ReadAllBytes(Path.Combine(box.Source, "a", "first.bin")), File.ReadAllBytes(R("a/first.bin")));
        var first = Posix.Lstat(R("a/first.bin"));
        var link = Posix.Lstat(R("z/link.bin"));
        Assert.Equal(first.Inode, link.Inode);
        Assert.Equal(2UL, link.LinkCount);
        Assert.Equal("../a/first.bin", new FileInfo(R("z/sym")).LinkTarget);
        Assert.Equal(Spread, Directory.GetFiles(R("b")).Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(box.Source, "b", "f04000")), File.ReadAllBytes(R("b/f04000")));
        Assert.Equal(File.GetUnixFileMode(Path.Combine(box.Source, "a")), File.GetUnixFileMode(R("a")));
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), Directory.GetLastWriteTimeUtc(R("a")));
        Assert.Equal(new DateTime(2021, 1, 2, 3, 4, 5, DateTimeKind.Utc), Directory.GetLastWriteTimeUtc(R("b")));
        Assert.Equal(Spread + 2, result.GetProperty("files").GetInt64());
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Delete_and_overwrite_work_across_windows_and_a_partial_restore_takes_only_its_path()
    {
        using var box = await TreeAsync();
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        string R(string relative) => Sandbox.Restored(target, Path.Combine(box.Source, relative));
        File.WriteAllText(R("b/extra-late"), "x");
        File.WriteAllText(R("a/extra-early"), "x");
        Directory.CreateDirectory(R("z/extra-dir/deeper"));
        File.WriteAllText(R("b/f04321"), "changed");

        var again = JsonDocument.Parse((await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--overwrite", "--delete", "--json")).StdOut).RootElement;

        Assert.Equal(3, again.GetProperty("deleted").GetInt64());
        Assert.False(File.Exists(R("b/extra-late")));
        Assert.False(File.Exists(R("a/extra-early")));
        Assert.False(Directory.Exists(R("z/extra-dir")));
        Assert.Equal(0, new FileInfo(R("b/f04321")).Length);
        // b/f04321 changed, and a/first.bin has two links, so it is not adopted (TargetTree.Matches): both rewritten.
        Assert.Equal(Spread - 1, again.GetProperty("files_unchanged").GetInt64());
        Assert.Equal(Posix.Lstat(R("a/first.bin")).Inode, Posix.Lstat(R("z/link.bin")).Inode);
        Assert.Equal(Spread, Directory.GetFiles(R("b")).Length);

        var part = box.Dir.Combine("p");
        await box.RunOkAsync(0, "restore", "latest", part, Path.Combine(box.Source, "b"), "--identity", box.IdentityPath);
        Assert.Equal(Spread, Directory.GetFiles(Sandbox.Restored(part, Path.Combine(box.Source, "b"))).Length);
        Assert.False(Directory.Exists(Sandbox.Restored(part, Path.Combine(box.Source, "a"))));
        Assert.Equal(new DateTime(2021, 1, 2, 3, 4, 5, DateTimeKind.Utc), Directory.GetLastWriteTimeUtc(Sandbox.Restored(part, Path.Combine(box.Source, "b"))));
    }
}
