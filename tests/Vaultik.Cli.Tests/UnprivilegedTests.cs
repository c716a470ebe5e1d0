using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>
/// What only an unprivileged user meets: sources it cannot read, and restoring files it cannot own. Root
/// reads everything and restores owners, so these skip as root; tests/run-all.sh runs them (the trait
/// Run=Unprivileged) again as the user vaultik-test after the main run.
/// </summary>
[Trait("Run", "Unprivileged")]
public sealed class UnprivilegedTests
{
    private const int SpecialBits = 0xC00; // setuid 04000, setgid 02000

    private static readonly string[] RootPrograms = ["/usr/bin/passwd", "/usr/bin/su", "/usr/bin/chage", "/usr/bin/expiry", "/usr/bin/newgrp"];

    private static void SkipAsRoot() => Skip.If(Posix.IsRoot, "running as root, which reads every file and restores owners (tests/run-all.sh runs this as an unprivileged user)");

    [SkippableFact]
    public async Task Unreadable_source_file_and_directory_are_skipped_and_named_exit_3_and_the_rest_is_backed_up()
    {
        SkipAsRoot();
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "ok.txt"), "readable");
        Directory.CreateDirectory(Path.Combine(box.Source, "open"));
        File.WriteAllText(Path.Combine(box.Source, "open", "b.txt"), "also readable");
        var secret = Path.Combine(box.Source, "secret.txt");
        File.WriteAllText(secret, "unreadable");
        var locked = Path.Combine(box.Source, "locked");
        Directory.CreateDirectory(locked);
        File.WriteAllText(Path.Combine(locked, "inner.txt"), "behind a closed directory");
        File.SetUnixFileMode(secret, UnixFileMode.None);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        var target = box.Dir.Combine("r");
        var restored = Sandbox.Restored(target, box.Source);
        try
        {
            var create = await box.RunOkAsync(3, "snapshot", "create", box.Source);
            Assert.Contains("secret.txt", create.StdErr, StringComparison.Ordinal);
            Assert.Contains("locked", create.StdErr, StringComparison.Ordinal);

            await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
            Assert.Equal("readable", File.ReadAllText(Path.Combine(restored, "ok.txt")));
            Assert.Equal("also readable", File.ReadAllText(Path.Combine(restored, "open", "b.txt")));
            Assert.False(File.Exists(Path.Combine(restored, "secret.txt")), "an unreadable file must not be restored (as empty or otherwise)");
            Assert.False(File.Exists(Path.Combine(restored, "locked", "inner.txt")));
        }
        finally
        {
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            foreach (var dir in new[] { locked, Path.Combine(restored, "locked") }.Where(Directory.Exists))
            {
                // The directory entry itself is stored (its mode is 000) and restored so: open both so they can be deleted.
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    [SkippableFact]
    public async Task A_non_root_restore_of_root_owned_setuid_and_setgid_files_gives_plain_files_owned_by_the_user()
    {
        SkipAsRoot();
        var programs = RootPrograms.Where(p => File.Exists(p) && Posix.Lstat(p) is { Uid: 0 } s && (s.Mode & SpecialBits) != 0 && IsReadable(p)).ToArray();
        Skip.If(programs.Length == 0, "no readable root-owned setuid or setgid program on this machine to snapshot");
        using var box = await Sandbox.CreateAsync();
        await box.RunOkAsync(0, ["snapshot", "create", .. programs]);

        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);

        var me = Posix.Lstat(box.Dir.Path);
        foreach (var program in programs)
        {
            var restored = Sandbox.Restored(target, program);
            var status = Posix.Lstat(restored);
            Assert.True(status.Uid == me.Uid && status.Gid == me.Gid, $"{restored} is owned by {status.Uid}:{status.Gid}, not the restoring user {me.Uid}:{me.Gid}");
            Assert.True((status.Mode & SpecialBits) == 0, $"{restored} kept setuid/setgid bits (mode {Convert.ToString(status.Mode & 0xFFF, 8)}) on a file the restore did not chown");
            Assert.Equal(Posix.Lstat(program).Mode & 0x1FF, status.Mode & 0x1FF);
            Assert.Equal(File.ReadAllBytes(program), File.ReadAllBytes(restored));
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(me.Uid, Posix.Lstat(entry).Uid);
        }
    }

    private static bool IsReadable(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
