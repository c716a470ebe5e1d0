using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// A store cannot hand the restoring user (often root) a set-id program: fetch and owner-less restores drop
/// setuid/setgid; a root restore keeps tar's behaviour (owners and special bits restored).
/// </summary>
public sealed class SpecialBitsTests
{
    private const UnixFileMode Rwxr_xr_x = (UnixFileMode)0x1ED;
    private static readonly bool IsRoot = Environment.UserName == "root";

    /// <summary>A snapshot of a setuid and a setgid program owned by uid/gid 1234, and a sticky directory.</summary>
    private static async Task<Sandbox> SnapshotAsync()
    {
        var box = await Sandbox.CreateAsync();
        foreach (var (name, bits) in new[] { ("suid", UnixFileMode.SetUser), ("sgid", UnixFileMode.SetGroup) })
        {
            var path = Path.Combine(box.Source, name);
            File.WriteAllText(path, "#!/bin/sh\nid\n");
            File.SetUnixFileMode(path, Rwxr_xr_x | bits);
        }

        Directory.CreateDirectory(Path.Combine(box.Source, "shared"));
        File.SetUnixFileMode(Path.Combine(box.Source, "shared"), (UnixFileMode)0x3FF);
        foreach (var name in new[] { "suid", "sgid", "shared" })
        {
            Assert.Equal(0, Chown(Path.Combine(box.Source, name)));
            File.SetUnixFileMode(Path.Combine(box.Source, name), name switch { "suid" => Rwxr_xr_x | UnixFileMode.SetUser, "sgid" => Rwxr_xr_x | UnixFileMode.SetGroup, _ => (UnixFileMode)0x3FF });
        }

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        return box;
    }

    private static int Chown(string path)
    {
        using var process = System.Diagnostics.Process.Start("chown", ["1234:1234", path]);
        process.WaitForExit();
        return process.ExitCode;
    }

    private static (int Uid, UnixFileMode Mode) Stat(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%u", path]) { RedirectStandardOutput = true })!;
        var uid = int.Parse(process.StandardOutput.ReadToEnd().Trim(), System.Globalization.CultureInfo.InvariantCulture);
        process.WaitForExit();
        return (uid, File.GetUnixFileMode(path));
    }

    [SkippableFact]
    public async Task Fetch_output_as_root_never_gets_setuid_or_setgid()
    {
        Skip.IfNot(IsRoot, "needs root (to own files as another user)");
        using var box = await SnapshotAsync();
        foreach (var name in new[] { "suid", "sgid" })
        {
            var output = box.Dir.Combine($"fetched-{name}");
            await box.RunOkAsync(0, "fetch", "latest", Path.Combine(box.Source, name), "--output", output, "-i", box.IdentityPath);
            Assert.Equal((0, Rwxr_xr_x), Stat(output));
        }
    }

    [SkippableFact]
    public async Task Restore_as_root_keeps_owners_and_special_bits_and_no_owner_drops_both()
    {
        Skip.IfNot(IsRoot, "needs root (to own files as another user)");
        using var box = await SnapshotAsync();
        var full = box.Dir.Combine("full");
        await box.RunOkAsync(0, "restore", "latest", full, "-i", box.IdentityPath);
        Assert.Equal((1234, Rwxr_xr_x | UnixFileMode.SetUser), Stat(Sandbox.Restored(full, Path.Combine(box.Source, "suid"))));
        Assert.Equal((1234, Rwxr_xr_x | UnixFileMode.SetGroup), Stat(Sandbox.Restored(full, Path.Combine(box.Source, "sgid"))));
        Assert.Equal((1234, (UnixFileMode)0x3FF), Stat(Sandbox.Restored(full, Path.Combine(box.Source, "shared"))));

        var mine = box.Dir.Combine("mine");
        await box.RunOkAsync(0, "restore", "latest", mine, "-i", box.IdentityPath, "--no-owner");
        Assert.Equal((0, Rwxr_xr_x), Stat(Sandbox.Restored(mine, Path.Combine(box.Source, "suid"))));
        Assert.Equal((0, Rwxr_xr_x), Stat(Sandbox.Restored(mine, Path.Combine(box.Source, "sgid"))));
        Assert.Equal((0, (UnixFileMode)0x3FF), Stat(Sandbox.Restored(mine, Path.Combine(box.Source, "shared"))));
    }
}
