using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>`vaultik ls` and `vaultik dump` through the real CLI (dump through the real tar and unzip), on every kind of store.</summary>
public abstract class BrowseTests : StoreScenarioTests
{
    private static readonly bool IsRoot = Environment.UserName == "root";

    /// <summary>d/{a.txt, link -> a.txt, sub/{big.bin (setuid, multi-chunk), hl (hard link of a.txt), owned.txt (uid 1234 as root)}, empty/}.</summary>
    private static string Build(Sandbox box, long bigBytes = 3L << 20)
    {
        var d = Path.Combine(box.Source, "d");
        Directory.CreateDirectory(Path.Combine(d, "sub"));
        Directory.CreateDirectory(Path.Combine(d, "empty"));
        File.WriteAllText(Path.Combine(d, "a.txt"), "alpha\n");
        File.CreateSymbolicLink(Path.Combine(d, "link"), "a.txt");
        TestTree.WriteLargeFile(Path.Combine(d, "sub", "big.bin"), bigBytes, seed: 7);
        File.SetUnixFileMode(Path.Combine(d, "sub", "big.bin"), (UnixFileMode)0b100_111_101_101);
        Posix.CreateHardLink(Path.Combine(d, "a.txt"), Path.Combine(d, "sub", "hl"));
        var owned = Path.Combine(d, "sub", "owned.txt");
        File.WriteAllText(owned, "owned\n");
        if (IsRoot)
        {
            Posix.Lchown(owned, 1234, 5678);
        }

        File.SetLastWriteTimeUtc(Path.Combine(d, "a.txt"), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(1234567));
        return d;
    }

    [SkippableFact]
    public async Task Ls_lists_a_directory_a_subtree_long_and_as_json()
    {
        using var box = await BoxAsync();
        var d = Build(box);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        string[] id = ["--identity", box.IdentityPath];

        var top = await box.RunOkAsync(0, ["ls", "latest", .. id]);
        Assert.Equal("/" + box.Source.Split('/', StringSplitOptions.RemoveEmptyEntries)[0], top.StdOut.Trim());

        var children = await box.RunOkAsync(0, ["ls", "latest", d, .. id]);
        Assert.Equal(new[] { "a.txt", "empty", "link", "sub" }.Select(n => $"{d}/{n}"), children.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var recursive = await box.RunOkAsync(0, ["ls", "latest", d, "--recursive", .. id]);
        Assert.Equal(new[] { "a.txt", "empty", "link", "sub", "sub/big.bin", "sub/hl", "sub/owned.txt" }.Select(n => $"{d}/{n}"), recursive.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var longList = (await box.RunOkAsync(0, ["ls", "latest", $"{d}/sub", "-l", .. id])).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("-rwsr-xr-x root/root", longList[0]);
        Assert.Contains($" {3L << 20} ", longList[0]);
        Assert.EndsWith($"{d}/sub/hl link to {d}/a.txt", longList[1]);
        if (IsRoot)
        {
            Assert.Contains(" 1234/5678 ", longList[2]);
        }

        var link = (await box.RunOkAsync(0, ["ls", "latest", $"{d}/link", "--long", .. id])).StdOut.Trim();
        Assert.StartsWith("lrwxrwxrwx ", link);
        Assert.EndsWith($"{d}/link -> a.txt", link);
        Assert.Contains("2001-02-03 04:05:06", (await box.RunOkAsync(0, ["ls", "latest", $"{d}/a.txt", "-l", .. id])).StdOut);

        var json = await box.RunOkAsync(0, ["ls", "latest", d, "-R", "--json", .. id]);
        using var doc = JsonDocument.Parse(json.StdOut);
        var byPath = doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!);
        Assert.Equal(7, byPath.Count);
        foreach (var e in byPath.Values)
        {
            Assert.Equal(new[] { "path", "type", "mode", "uid", "gid", "size", "mtime", "link_target" }, e.EnumerateObject().Select(p => p.Name));
        }

        var file = byPath[$"{d}/a.txt"];
        Assert.Equal("file", file.GetProperty("type").GetString());
        Assert.Equal(0b110_100_100, file.GetProperty("mode").GetInt32());
        Assert.Equal(6, file.GetProperty("size").GetInt64());
        Assert.Equal("2001-02-03T04:05:06.123456700Z", file.GetProperty("mtime").GetString());
        Assert.Equal(JsonValueKind.Null, file.GetProperty("link_target").ValueKind);
        Assert.Equal("dir", byPath[$"{d}/sub"].GetProperty("type").GetString());
        Assert.Equal(0b111_101_101, byPath[$"{d}/sub"].GetProperty("mode").GetInt32());
        Assert.Equal("symlink", byPath[$"{d}/link"].GetProperty("type").GetString());
        Assert.Equal("a.txt", byPath[$"{d}/link"].GetProperty("link_target").GetString());
        Assert.Equal("hardlink", byPath[$"{d}/sub/hl"].GetProperty("type").GetString());
        Assert.Equal($"{d}/a.txt", byPath[$"{d}/sub/hl"].GetProperty("link_target").GetString());
        Assert.Equal(0b100_111_101_101, byPath[$"{d}/sub/big.bin"].GetProperty("mode").GetInt32());
        Assert.Equal(IsRoot ? 1234 : Posix.EffectiveUid, byPath[$"{d}/sub/owned.txt"].GetProperty("uid").GetInt64());

        var empty = await box.RunOkAsync(0, ["ls", "latest", $"{d}/empty", "--json", .. id]);
        Assert.Equal(0, JsonDocument.Parse(empty.StdOut).RootElement.GetArrayLength());
    }

    [SkippableFact]
    public async Task Ls_and_dump_of_a_missing_path_print_one_line_and_exit_1()
    {
        using var box = await BoxAsync();
        Build(box);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        foreach (var verb in new[] { "ls", "dump" })
        {
            var result = await box.RunOkAsync(1, verb, "latest", "/no/such/path", "--identity", box.IdentityPath);
            Assert.Equal(string.Empty, result.StdOut);
            Assert.Single(result.StdErr.Trim().Split('\n'));
            Assert.StartsWith($"vaultik: error: cannot {(verb == "ls" ? "list" : "dump")} /no/such/path: no such path in snapshot ", result.StdErr);
        }
    }

    [SkippableFact]
    public async Task Dump_of_a_file_is_byte_exact()
    {
        using var box = await BoxAsync();
        var d = Build(box, bigBytes: 20L << 20);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var output = box.Dir.Combine("big.out");
        var (run, copy) = await PipedRun.RunAsync(box.Cli, ["dump", "latest", $"{d}/sub/big.bin", "--identity", box.IdentityPath], "dd", $"of={output}", "status=none");
        Assert.True(run.ExitCode == 0 && copy.ExitCode == 0, $"{run}\n{copy}");
        Assert.True(File.ReadAllBytes($"{d}/sub/big.bin").AsSpan().SequenceEqual(File.ReadAllBytes(output)));
        Assert.Equal("alpha\n", (await box.RunOkAsync(0, "dump", "latest", $"{d}/sub/hl", "--identity", box.IdentityPath)).StdOut);
    }

    [SkippableFact]
    public async Task Dump_of_a_directory_through_real_tar_gives_back_the_tree()
    {
        using var box = await BoxAsync();
        var d = Build(box);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("untarred");
        Directory.CreateDirectory(target);
        var (run, tar) = await PipedRun.RunAsync(box.Cli, ["dump", "latest", d, "--identity", box.IdentityPath], "tar", "-x", "--same-owner", "-C", target);
        Assert.True(run.ExitCode == 0 && tar.ExitCode == 0, $"{run}\n{tar}");
        Assert.Empty(TreeComparer.Compare(d, target));
        Assert.Equal(Posix.Lstat(Path.Combine(target, "a.txt")).Inode, Posix.Lstat(Path.Combine(target, "sub", "hl")).Inode);
        var owned = Posix.Lstat(Path.Combine(target, "sub", "owned.txt"));
        Assert.Equal(Posix.Lstat(Path.Combine(d, "sub", "owned.txt")).Uid, owned.Uid);
        Assert.Equal(Posix.Lstat(Path.Combine(d, "sub", "owned.txt")).Gid, owned.Gid);

        // The tar listing names owners as the local passwd does.
        var (_, list) = await PipedRun.RunAsync(box.Cli, ["dump", "latest", d, "--archive", "tar", "--identity", box.IdentityPath], "tar", "-tv");
        Assert.Contains("root/root", list.StdOut.Split('\n').Single(l => l.EndsWith("sub/big.bin", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task Dump_as_zip_passes_unzip_test_and_unzips_to_the_tree()
    {
        using var box = await BoxAsync();
        var d = Build(box);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var zip = box.Dir.Combine("d.zip");
        var (run, copy) = await PipedRun.RunAsync(box.Cli, ["dump", "latest", d, "--archive", "zip", "--identity", box.IdentityPath], "dd", $"of={zip}", "status=none");
        Assert.True(run.ExitCode == 0 && copy.ExitCode == 0, $"{run}\n{copy}");
        var test = await Program("unzip", "-t", zip);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("No errors detected", test.StdOut);
        var target = box.Dir.Combine("unzipped");
        var unzip = await Program("unzip", "-q", zip, "-d", target);
        Assert.True(unzip.ExitCode == 0, unzip.ToString());
        foreach (var file in new[] { "a.txt", "sub/big.bin", "sub/hl", "sub/owned.txt" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(d, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(target, file))), file);
        }

        Assert.Equal("a.txt", new FileInfo(Path.Combine(target, "link")).LinkTarget);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(target, "sub", "big.bin")) & (UnixFileMode)0x1FF);
        Assert.True(Directory.Exists(Path.Combine(target, "empty")));
    }

    [SkippableFact]
    public async Task Dump_refuses_to_write_an_archive_to_a_terminal()
    {
        using var box = await BoxAsync();
        var d = Build(box);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var result = await box.Cli.RunInTerminalAsync("dump", "latest", d, "--identity", box.IdentityPath);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("refusing to write an archive to a terminal", result.StdOut);
        Assert.DoesNotContain("ustar", result.StdOut);
    }

    [SkippableFact]
    public async Task Dump_of_a_large_file_in_a_tar_keeps_memory_bounded()
    {
        using var box = await BoxAsync();
        var d = Build(box, bigBytes: 96L << 20);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var (ls, lsRss) = await box.Cli.RunMeasuredAsync("ls", "latest", d, "-R", "--identity", box.IdentityPath);
        Assert.Equal(0, ls.ExitCode);
        var (dump, dumpRss) = await box.Cli.RunMeasuredAsync("dump", "latest", d, "--identity", box.IdentityPath);
        Assert.True(dump.ExitCode == 0, dump.StdErr);
        // Holding the 96 MiB file would add at least that much to what ls of the same snapshot needs.
        Assert.True(dumpRss < lsRss + (64L << 20), $"dump peak RSS {dumpRss >> 20} MiB, ls {lsRss >> 20} MiB");
    }

    [SkippableFact]
    public async Task Restore_include_and_exclude_pick_snapshot_paths_by_glob()
    {
        using var box = await BoxAsync();
        var d = Path.Combine(box.Source, "d");
        foreach (var file in new[] { "a.txt", "b.log", "docs/x.txt", "docs/y.log", "docs/deep/z.txt", "node/m.txt", "other/n.log" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(d, file))!);
            File.WriteAllText(Path.Combine(d, file), file);
        }

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        List<string> Restored(string target) =>
            Directory.EnumerateFileSystemEntries(Sandbox.Restored(target, d), "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Sandbox.Restored(target, d), p)).Order(StringComparer.Ordinal).ToList();

        var t1 = box.Dir.Combine("t1");
        await box.RunOkAsync(0, "restore", "latest", t1, "--include", "*.txt", "--exclude", "node/", "--identity", box.IdentityPath);
        Assert.Equal(["a.txt", "docs", "docs/deep", "docs/deep/z.txt", "docs/x.txt"], Restored(t1));

        // A matching directory brings its subtree; an absolute pattern is matched from the top of the snapshot.
        var t2 = box.Dir.Combine("t2");
        await box.RunOkAsync(0, "restore", "latest", t2, "--include", "docs", "--exclude", $"{d}/docs/deep/", "--exclude", "*.log", "--identity", box.IdentityPath);
        Assert.Equal(["docs", "docs/x.txt"], Restored(t2));

        // With a PATH: the globs apply within it; a PATH the globs empty is no error.
        var t3 = box.Dir.Combine("t3");
        await box.RunOkAsync(0, "restore", "latest", t3, $"{d}/docs", $"{d}/other", "--include", "*.txt", "--identity", box.IdentityPath);
        Assert.Equal(["docs", "docs/deep", "docs/deep/z.txt", "docs/x.txt"], Restored(t3));

        // --delete leaves what the filter leaves out alone, and removes what it selects but the snapshot lacks.
        File.WriteAllText(Path.Combine(Sandbox.Restored(t1, d), "extra.txt"), "extra");
        File.WriteAllText(Path.Combine(Sandbox.Restored(t1, d), "keep.log"), "kept");
        await box.RunOkAsync(0, "restore", "latest", t1, "--include", "*.txt", "--exclude", "node/", "--overwrite", "--delete", "--identity", box.IdentityPath);
        Assert.Equal(["a.txt", "docs", "docs/deep", "docs/deep/z.txt", "docs/x.txt", "keep.log"], Restored(t1));
    }

    private static async Task<CliResult> Program(string program, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    [SkippableFact]
    public async Task Dump_of_one_hard_linked_file_as_tar_carries_its_content()
    {
        // A one-member archive has no earlier member to link to: the second name's content goes in.
        using var box = await BoxAsync();
        var d = Path.Combine(box.Source, "x");
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(d, "notes.txt"), "linked\n");
        Vaultik.Core.Platform.Posix.CreateHardLink(Path.Combine(d, "notes.txt"), Path.Combine(d, "notes2"));
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("one");
        Directory.CreateDirectory(target);
        var (run, tar) = await PipedRun.RunAsync(box.Cli, ["dump", "latest", $"{d}/notes2", "--archive", "tar", "--identity", box.IdentityPath], "tar", "-x", "-C", target);
        Assert.True(run.ExitCode == 0 && tar.ExitCode == 0, $"{run}\n{tar}");
        Assert.Equal("linked\n", File.ReadAllText(Path.Combine(target, "notes2")));
    }

    [SkippableFact]
    public async Task Ls_of_a_directory_under_astral_characters_lists_only_its_entries()
    {
        // SQLite counts characters where C# counts UTF-16 units: each emoji once pushed the start one too far.
        using var box = await BoxAsync();
        var d = Path.Combine(box.Source, "\U0001F3B5", "\U0001F3B8");
        Directory.CreateDirectory(Path.Combine(d, "x"));
        File.WriteAllText(Path.Combine(d, "x", "y"), "deeper");
        File.WriteAllText(Path.Combine(d, "z"), "direct");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var lines = (await box.RunOkAsync(0, "ls", "latest", d, "--identity", box.IdentityPath)).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"{d}/x", $"{d}/z"], lines);
    }
}
