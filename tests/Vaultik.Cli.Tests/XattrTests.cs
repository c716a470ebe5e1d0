using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Extended attributes, POSIX ACLs and file capabilities are stored and restored (issue 18): a restored
/// <c>ping</c> keeps its <c>security.capability</c>. Compared with the dumps of the standard tools.
/// </summary>
public sealed class XattrTests
{
    private static readonly bool IsRoot = Environment.UserName == "root";

    [SkippableFact]
    public async Task User_xattrs_an_acl_and_a_capability_round_trip()
    {
        Skip.IfNot(IsRoot, "needs root (setcap, trusted.* and restoring capabilities)");
        using var box = await Sandbox.CreateAsync();
        var file = Path.Combine(box.Source, "notes.txt");
        File.WriteAllText(file, "hello\n");
        AttributeDumps.Run("setfattr", "-n", "user.comment", "-v", "a note", file);
        AttributeDumps.Run("setfattr", "-n", "user.binary", "-v", "0x00ff0a2c22203d25", file);
        AttributeDumps.Run("setfacl", "-m", "u:1234:rw,g:1234:r", file);
        var ping = Path.Combine(box.Source, "ping");
        File.Copy("/bin/true", ping);
        AttributeDumps.Run("setcap", "cap_net_raw+ep", ping);
        var before = (AttributeDumps.Xattrs(box.Source), AttributeDumps.Acls(box.Source), AttributeDumps.Capabilities(box.Source));
        Assert.Contains("security.capability", before.Item1, StringComparison.Ordinal);
        Assert.Contains("user:1234:rw-", before.Item2, StringComparison.Ordinal);
        Assert.Contains("cap_net_raw=ep", before.Item3, StringComparison.Ordinal);

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "-i", box.IdentityPath);
        var restored = Sandbox.Restored(target, box.Source);
        Assert.Equal(before.Item1, AttributeDumps.Xattrs(restored));
        Assert.Equal(before.Item2, AttributeDumps.Acls(restored));
        Assert.Equal(before.Item3, AttributeDumps.Capabilities(restored));
        Assert.Empty(TreeComparer.Compare(box.Source, restored));

        // An unchanged file (an index hit) keeps its attributes in the next snapshot too.
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var again = box.Dir.Combine("again");
        await box.RunOkAsync(0, "restore", "latest", again, "-i", box.IdentityPath);
        Assert.Equal(before.Item1, AttributeDumps.Xattrs(Sandbox.Restored(again, box.Source)));
    }

    [SkippableFact]
    public async Task Restore_onto_a_filesystem_without_xattrs_warns_naming_each_file_and_goes_on()
    {
        Skip.IfNot(IsRoot, "needs root (to mount a ramfs, which supports no extended attributes)");
        using var box = await Sandbox.CreateAsync();
        var file = Path.Combine(box.Source, "tagged.txt");
        File.WriteAllText(file, "content\n");
        AttributeDumps.Run("setfattr", "-n", "user.tag", "-v", "x", file);
        AttributeDumps.Run("setfacl", "-m", "u:1234:r", file);
        File.WriteAllText(Path.Combine(box.Source, "plain.txt"), "plain\n");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var mount = box.Dir.Combine("ramfs");
        Directory.CreateDirectory(mount);
        AttributeDumps.Run("mount", "-t", "ramfs", "ramfs", mount);
        try
        {
            var result = await box.RunOkAsync(0, "restore", "latest", mount, "-i", box.IdentityPath);
            var restored = Sandbox.Restored(mount, box.Source);
            Assert.Equal("content\n", File.ReadAllText(Path.Combine(restored, "tagged.txt")));
            Assert.Equal("plain\n", File.ReadAllText(Path.Combine(restored, "plain.txt")));
            var warnings = result.StdErr.Split('\n').Where(l => l.Contains("warning: ", StringComparison.Ordinal)).ToList();
            Assert.Contains(warnings, l => l.Contains("tagged.txt", StringComparison.Ordinal) && l.Contains("user.tag", StringComparison.Ordinal) && l.Contains("not supported", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(warnings, l => l.Contains("tagged.txt", StringComparison.Ordinal) && l.Contains("system.posix_acl_access", StringComparison.Ordinal));
            Assert.DoesNotContain(warnings, l => l.Contains("plain.txt", StringComparison.Ordinal));
            Assert.Contains("2 attributes could not be set", result.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            AttributeDumps.Run("umount", mount);
        }
    }

    [SkippableFact]
    public async Task Attributes_of_files_under_a_backslash_or_non_utf8_directory_are_stored()
    {
        // The walker hands names on in their escaped form; the attribute reader's open must decode it (a plain
        // UTF-8 open looked for a name with two backslashes, found nothing and stored no attribute, silently).
        Skip.IfNot(IsRoot, "needs root (setcap and restoring capabilities)");
        using var box = await Sandbox.CreateAsync();
        var slash = Path.Combine(box.Source, "a\\b");
        Directory.CreateDirectory(slash);
        var ping = Path.Combine(slash, "ping");
        File.Copy("/bin/true", ping);
        AttributeDumps.Run("setcap", "cap_net_raw+ep", ping);
        AttributeDumps.Run("python3", "-c", "import os,sys; d=os.fsencode(sys.argv[1])+b'/caf\\xe9'; os.mkdir(d); open(d+b'/f','w').write('x'); os.setxattr(d+b'/f','user.k',b'v')", box.Source);
        var before = (AttributeDumps.Xattrs(box.Source), AttributeDumps.Capabilities(box.Source));
        Assert.Contains("user.k", before.Item1, StringComparison.Ordinal);

        var created = await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.DoesNotContain("warning", created.StdErr, StringComparison.Ordinal);
        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "-i", box.IdentityPath);
        var restored = Sandbox.Restored(target, box.Source);
        Assert.Equal(before.Item1, AttributeDumps.Xattrs(restored));
        Assert.Equal(before.Item2, AttributeDumps.Capabilities(restored));
    }
}
