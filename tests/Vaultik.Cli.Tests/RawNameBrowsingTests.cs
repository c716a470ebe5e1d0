using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Names that are not UTF-8, and names with a backslash, through the browsing verbs (issues 16 and 18): the
/// mount shows the real bytes, `diff --local` finds an unchanged tree unchanged, and a tar dump extracts a
/// backslash name as itself and refuses (naming it) what tar cannot hold.
/// </summary>
public sealed class RawNameBrowsingTests
{
    /// <summary>src/raw/{a\b, caf\xe9 (the byte 0xe9), plain}.</summary>
    private static async Task<(Sandbox Box, string Raw)> TreeAsync()
    {
        var box = await Sandbox.CreateAsync();
        var raw = Path.Combine(box.Source, "raw");
        Directory.CreateDirectory(raw);
        File.WriteAllText(Path.Combine(raw, "a\\b"), "backslash\n");
        File.WriteAllText(Path.Combine(raw, "plain"), "plain\n");
        Python("import os,sys; open(os.fsencode(sys.argv[1])+b'/caf\\xe9','w').write('latin1\\n')", raw);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        return (box, raw);
    }

    private static string Python(string code, string arg) => AttributeDumps.Run("python3", "-c", code, arg);

    /// <summary>The raw names in a directory, each as hex, sorted.</summary>
    private static string RawNames(string dir) =>
        Python("import os,sys; print(' '.join(sorted(n.hex() for n in os.listdir(os.fsencode(sys.argv[1])))))", dir).Trim();

    [Fact]
    public async Task The_mount_shows_the_real_bytes_of_names()
    {
        var (box, raw) = await TreeAsync();
        using var _ = box;
        var mnt = box.Dir.Combine("mnt");
        using var mount = await MountedVaultik.StartAsync(box.Cli, mnt, "--identity", box.IdentityPath);
        var snapshot = Assert.Single(Directory.GetDirectories(Path.Combine(mnt, "snapshots")));
        var seen = Sandbox.Restored(snapshot, raw);
        Assert.Equal(RawNames(raw), RawNames(seen));
        Assert.Equal("latin1\n", Python("import os,sys; print(open(os.fsencode(sys.argv[1])+b'/caf\\xe9').read(), end='')", seen));
        Assert.Equal("backslash\n", File.ReadAllText(Path.Combine(seen, "a\\b")));
    }

    [Fact]
    public async Task Diff_local_of_an_unchanged_tree_with_such_names_finds_nothing()
    {
        var (box, raw) = await TreeAsync();
        using var _ = box;
        var doc = JsonDocument.Parse((await box.RunOkAsync(0, "diff", "latest", "--local", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Equal(0, doc.GetProperty("added").GetArrayLength());
        Assert.Equal(0, doc.GetProperty("removed").GetArrayLength());
        Assert.Equal(0, doc.GetProperty("changed").GetArrayLength());
        Assert.True(Directory.Exists(raw));
    }

    [Fact]
    public async Task A_tar_dump_extracts_a_backslash_name_as_itself_and_names_what_tar_cannot_hold()
    {
        var (box, raw) = await TreeAsync();
        using var _ = box;
        var target = box.Dir.Combine("untarred");
        Directory.CreateDirectory(target);
        var (run, tar) = await PipedRun.RunAsync(box.Cli, ["dump", "latest", raw, "--identity", box.IdentityPath], "tar", "-x", "-C", target);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("caf\\xe9", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", run.StdErr, StringComparison.Ordinal);
        Assert.True(tar.ExitCode == 0, tar.ToString());
        Assert.Equal("backslash\n", File.ReadAllText(Path.Combine(target, "a\\b")));
        Assert.Equal("plain\n", File.ReadAllText(Path.Combine(target, "plain")));
    }
}
