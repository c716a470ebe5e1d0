using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Hard links across directories (issue 18): a partial restore whose selection misses the first name gives the content to the first
/// selected name and links the others to it; fetch of a second name returns the content.
/// </summary>
public sealed class HardLinkTests
{
    private const string Content = "shared inode content\n";

    /// <summary>Three names of one inode: a/first, b/second, c/third (walk and path order).</summary>
    private static async Task<(Sandbox Box, string First, string Second, string Third)> LinkedAsync()
    {
        var box = await Sandbox.CreateAsync();
        foreach (var dir in new[] { "a", "b", "c" })
        {
            Directory.CreateDirectory(Path.Combine(box.Source, dir));
        }

        var first = Path.Combine(box.Source, "a", "first");
        var second = Path.Combine(box.Source, "b", "second");
        var third = Path.Combine(box.Source, "c", "third");
        File.WriteAllText(first, Content);
        Posix.CreateHardLink(first, second);
        Posix.CreateHardLink(first, third);
        File.WriteAllText(Path.Combine(box.Source, "b", "other"), "not linked");
        return (box, first, second, third);
    }

    private static (ulong Device, ulong Inode) InodeOf(string path) => Posix.Lstat(path) is var s ? (s.Device, s.Inode) : default;

    [Fact]
    public async Task A_partial_restore_without_the_first_name_gives_the_content_to_the_first_selected_name()
    {
        var (box, first, second, third) = await LinkedAsync();
        using var _ = box;
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        // Only b: the one selected name gets the content.
        var onlyB = box.Dir.Combine("only-b");
        await box.RunOkAsync(0, "restore", "latest", onlyB, Path.Combine(box.Source, "b"), "--identity", box.IdentityPath);
        Assert.Equal(Content, File.ReadAllText(Sandbox.Restored(onlyB, second)));
        Assert.Equal("not linked", File.ReadAllText(Sandbox.Restored(onlyB, Path.Combine(box.Source, "b", "other"))));
        Assert.False(Directory.Exists(Sandbox.Restored(onlyB, Path.Combine(box.Source, "a"))));

        // b and c: b/second has the content, c/third is a link to it.
        var bAndC = box.Dir.Combine("b-and-c");
        await box.RunOkAsync(0, "restore", "latest", bAndC, Path.Combine(box.Source, "b"), Path.Combine(box.Source, "c"), "--identity", box.IdentityPath);
        Assert.Equal(Content, File.ReadAllText(Sandbox.Restored(bAndC, second)));
        Assert.Equal(Content, File.ReadAllText(Sandbox.Restored(bAndC, third)));
        Assert.Equal(InodeOf(Sandbox.Restored(bAndC, second)), InodeOf(Sandbox.Restored(bAndC, third)));
        Assert.Equal(2UL, Posix.Lstat(Sandbox.Restored(bAndC, third)).LinkCount);

        // Only a: the first name alone, as before.
        var onlyA = box.Dir.Combine("only-a");
        await box.RunOkAsync(0, "restore", "latest", onlyA, Path.Combine(box.Source, "a"), "--identity", box.IdentityPath);
        Assert.Equal(Content, File.ReadAllText(Sandbox.Restored(onlyA, first)));
        Assert.False(Directory.Exists(Sandbox.Restored(onlyA, Path.Combine(box.Source, "b"))));

        // Everything: one inode with three names.
        var all = box.Dir.Combine("all");
        await box.RunOkAsync(0, "restore", "latest", all, "--identity", box.IdentityPath, "--verify");
        Assert.Equal(InodeOf(Sandbox.Restored(all, first)), InodeOf(Sandbox.Restored(all, third)));
        Assert.Equal(3UL, Posix.Lstat(Sandbox.Restored(all, second)).LinkCount);

        // A second partial restore over the first one (--overwrite) keeps what matches.
        await box.RunOkAsync(0, "restore", "latest", bAndC, Path.Combine(box.Source, "b"), Path.Combine(box.Source, "c"), "--identity", box.IdentityPath, "--overwrite");
        Assert.Equal(Content, File.ReadAllText(Sandbox.Restored(bAndC, third)));
    }

    [Fact]
    public async Task Fetch_of_a_second_name_returns_the_shared_content()
    {
        var (box, _, second, third) = await LinkedAsync();
        using var _box = box;
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.Equal(Content, (await box.RunOkAsync(0, "fetch", "latest", second, "--identity", box.IdentityPath)).StdOut);
        var output = box.Dir.Combine("third.out");
        await box.RunOkAsync(0, "fetch", "latest", third, "--output", output, "--identity", box.IdentityPath);
        Assert.Equal(Content, File.ReadAllText(output));
    }

    [Fact]
    public async Task A_first_name_that_cannot_be_read_leaves_the_content_to_the_next_name()
    {
        var (box, first, second, third) = await LinkedAsync();
        using var _ = box;
        // As root chmod 000 does not stop a read, so the testing hook makes opening a/first fail with EACCES.
        box.Cli.Environment["VAULTIK_FAULT_UNREADABLE"] = first;
        var create = await box.RunOkAsync(3, "snapshot", "create", box.Source);
        Assert.Contains(first, create.StdErr, StringComparison.Ordinal);
        Assert.Contains("permission denied", create.StdErr, StringComparison.Ordinal);
        box.Cli.Environment.Remove("VAULTIK_FAULT_UNREADABLE");

        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--verify");
        Assert.False(File.Exists(Sandbox.Restored(target, first)));
        Assert.Equal(Content, File.ReadAllText(Sandbox.Restored(target, second)));
        Assert.Equal(Content, File.ReadAllText(Sandbox.Restored(target, third)));
        Assert.Equal(InodeOf(Sandbox.Restored(target, second)), InodeOf(Sandbox.Restored(target, third)));
        Assert.Equal(2UL, Posix.Lstat(Sandbox.Restored(target, third)).LinkCount);
        Assert.Equal(Content, (await box.RunOkAsync(0, "fetch", "latest", third, "--identity", box.IdentityPath)).StdOut);
    }

    [Fact]
    public async Task An_excluded_first_name_gives_the_content_to_the_first_included_name()
    {
        // --exclude leaves the first name out as a PATH selection does: b/second gets the content, c/third links to it.
        var (box, first, second, third) = await LinkedAsync();
        using var _ = box;
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("no-first");
        await box.RunOkAsync(0, "restore", "latest", target, "--exclude", "first", "--identity", box.IdentityPath, "--verify");
        Assert.False(File.Exists(Sandbox.Restored(target, first)));
        Assert.Equal(Content, File.ReadAllText(Sandbox.Restored(target, second)));
        Assert.Equal(InodeOf(Sandbox.Restored(target, second)), InodeOf(Sandbox.Restored(target, third)));

        var included = box.Dir.Combine("only-c");
        await box.RunOkAsync(0, "restore", "latest", included, "--include", "third", "--identity", box.IdentityPath);
        Assert.Equal(Content, File.ReadAllText(Sandbox.Restored(included, third)));
        Assert.False(File.Exists(Sandbox.Restored(included, second)));
    }
}
