using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>
/// A small Debian-like root, assembled from files of several installed packages, comes back exactly (issue 18):
/// a capability, access and default ACLs, user.* and trusted.* attributes on files, directories and a symlink,
/// a setuid program, a sparse file, hard links and nanosecond times, compared with getfattr/getfacl/getcap dumps
/// and <see cref="TreeComparer"/>, through the real CLI.
/// </summary>
public sealed class DebianRootTests
{
    private static readonly bool IsRoot = Environment.UserName == "root";

    [SkippableFact]
    public async Task A_debian_like_root_restores_with_its_attributes_acls_and_capabilities()
    {
        Skip.IfNot(IsRoot, "needs root (setcap, trusted.*, owners and restoring capabilities)");
        using var box = await Sandbox.CreateAsync();
        var root = box.Source;
        foreach (var dir in new[] { "usr/bin", "usr/sbin", "etc/default", "var/log/journal", "srv/shared", "var/lib" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        // Programs of several packages: coreutils, attr, libcap2-bin, acl.
        var ping = Path.Combine(root, "usr/bin/ping");
        File.Copy("/usr/sbin/getcap", ping);
        AttributeDumps.Run("setcap", "cap_net_raw+ep", ping);
        var mtr = Path.Combine(root, "usr/bin/mtr-packet");
        File.Copy("/bin/true", mtr);
        AttributeDumps.Run("setcap", "cap_net_raw,cap_net_admin+ep", mtr);
        File.Copy("/usr/bin/getfattr", Path.Combine(root, "usr/bin/getfattr"));
        File.Copy("/usr/bin/getfacl", Path.Combine(root, "usr/bin/getfacl"));
        var su = Path.Combine(root, "usr/bin/su");
        File.Copy("/bin/true", su);
        File.SetUnixFileMode(su, (UnixFileMode)0x9ED); // 04755
        foreach (var name in new[] { "passwd", "group", "hostname", "os-release" })
        {
            var from = Path.Combine("/etc", name);
            File.WriteAllBytes(Path.Combine(root, "etc", name), File.Exists(from) ? File.ReadAllBytes(from) : "x\n"u8.ToArray());
        }

        File.WriteAllText(Path.Combine(root, "etc/default/locale"), "LANG=C.UTF-8\n");
        File.CreateSymbolicLink(Path.Combine(root, "etc/localtime"), "/usr/share/zoneinfo/Etc/UTC");
        File.CreateSymbolicLink(Path.Combine(root, "usr/sbin/getcap"), "../bin/ping");

        // A shared directory with a default ACL (its later files inherit it) and a file with an access ACL.
        var shared = Path.Combine(root, "srv/shared");
        AttributeDumps.Run("setfacl", "-d", "-m", "u:1234:rwx,g:1234:rx", shared);
        AttributeDumps.Run("setfacl", "-m", "u:1234:rwx", shared);
        File.WriteAllText(Path.Combine(shared, "inherited.txt"), "inherits the default ACL\n");
        Directory.CreateDirectory(Path.Combine(shared, "sub"));
        var journal = Path.Combine(root, "var/log/journal");
        AttributeDumps.Run("setfacl", "-m", "g:1234:rx,m::rx", journal);
        var secret = Path.Combine(root, "etc/shadow-like");
        File.WriteAllText(secret, "root:*:19000:0:99999:7:::\n");
        AttributeDumps.Run("setfacl", "-m", "u:1234:r", secret);

        // user.* on a file and a directory, trusted.* on a symlink (Linux allows no user.* there).
        AttributeDumps.Run("setfattr", "-n", "user.mime_type", "-v", "text/plain", Path.Combine(root, "etc/hostname"));
        AttributeDumps.Run("setfattr", "-n", "user.xdg.origin.url", "-v", "0x00010203fffe", Path.Combine(root, "var/lib"));
        AttributeDumps.Run("setfattr", "-h", "-n", "trusted.overlay.opaque", "-v", "y", Path.Combine(root, "etc/localtime"));
        AttributeDumps.Run("setfattr", "-n", "trusted.md5", "-v", "0xdeadbeef", Path.Combine(root, "etc/passwd"));

        // A sparse file, hard links (one across directories), owners and nanosecond times.
        var sparse = Path.Combine(root, "var/lib/disk.img");
        using (var stream = new FileStream(sparse, FileMode.Create))
        {
            stream.SetLength(64L << 20);
            stream.Position = 40L << 20;
            stream.Write("data"u8);
        }

        Posix.CreateHardLink(ping, Path.Combine(root, "usr/sbin/ping"));
        Posix.CreateHardLink(Path.Combine(root, "etc/group"), Path.Combine(root, "etc/group-"));
        AttributeDumps.Run("chown", "-h", "1234:1234", Path.Combine(root, "etc/group"), Path.Combine(root, "etc/localtime"), shared);
        var nanos = 1_700_000_000_123_456_789L;
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            Posix.SetTimes(path, nanos, nanos += 1_000_001, noFollow: true);
        }

        var before = Dumps(root);
        Assert.Contains("trusted.overlay.opaque", before.Xattrs, StringComparison.Ordinal);
        Assert.Contains("default:user:1234:rwx", before.Acls, StringComparison.Ordinal);
        Assert.Contains("cap_net_admin,cap_net_raw=ep", before.Caps, StringComparison.Ordinal);

        await box.RunOkAsync(0, "snapshot", "create", root);
        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "-i", box.IdentityPath, "--verify");
        var restored = Sandbox.Restored(target, root);
        var after = Dumps(restored);
        Assert.Equal(before.Xattrs, after.Xattrs);
        Assert.Equal(before.Acls, after.Acls);
        Assert.Equal(before.Caps, after.Caps);
        Assert.Empty(TreeComparer.Compare(root, restored));
        Assert.Equal(Posix.Lstat(Path.Combine(restored, "usr/bin/ping")).Inode, Posix.Lstat(Path.Combine(restored, "usr/sbin/ping")).Inode);
        Assert.Equal(Posix.Lstat(Path.Combine(restored, "etc/group")).Inode, Posix.Lstat(Path.Combine(restored, "etc/group-")).Inode);
        Assert.Equal(1234L, Posix.Lstat(Path.Combine(restored, "etc/localtime")).Uid);
        Assert.True(Posix.Lstat(Path.Combine(restored, "var/lib/disk.img")).Blocks * 512 < 8L << 20, "the restored sparse file is not sparse");
        Assert.Equal(Posix.Lstat(Path.Combine(root, "etc/os-release")).MtimeNs, Posix.Lstat(Path.Combine(restored, "etc/os-release")).MtimeNs);
        Assert.Contains("usage", AttributeDumps.Run(Path.Combine(restored, "usr/bin/getfattr"), "--help"), StringComparison.OrdinalIgnoreCase);
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
    }

    private static (string Xattrs, string Acls, string Caps) Dumps(string root) =>
        (AttributeDumps.Xattrs(root), AttributeDumps.Acls(root), AttributeDumps.Capabilities(root));
}
