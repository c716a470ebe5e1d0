using System.Security.Cryptography;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>
/// A store written by the v2 release (tests/fixtures/v2-store, made by its make.sh) stays readable: restore of
/// both snapshots, fetch, verify (quick and deep with the key), keyless prune and snapshot list, with every
/// restored entry compared with the fixture's expected.json exactly.
/// </summary>
public sealed class V2StoreCompatibilityTests
{
    private static readonly string Fixture = Path.Combine(RepoRoot(), "tests", "fixtures", "v2-store");

    [Fact]
    public async Task A_v2_store_restores_fetches_verifies_prunes_and_lists_exactly()
    {
        using var box = await Sandbox.CreateAsync();
        CopyStore(box.StorePath);
        var key = Path.Combine(Fixture, "key.txt");
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixture, "expected.json")));
        var root = expected.RootElement.GetProperty("root").GetString()!;
        var snapshots = expected.RootElement.GetProperty("snapshots").EnumerateArray().ToList();
        Assert.Equal(2, snapshots.Count);

        var list = await box.RunOkAsync(0, "snapshot", "list", "--json");
        using (var listed = JsonDocument.Parse(list.StdOut))
        {
            Assert.Equal(
                snapshots.Select(s => s.GetProperty("id").GetString()),
                listed.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        }

        foreach (var snapshot in snapshots)
        {
            var id = snapshot.GetProperty("id").GetString()!;
            var target = box.Dir.Combine($"restore-{id}");
            await box.RunOkAsync(0, "restore", id, target, "--identity", key);
            CompareTree(Sandbox.Restored(target, root), snapshot.GetProperty("entries"));
            await box.RunOkAsync(0, "snapshot", "verify", id);
            await box.RunOkAsync(0, "snapshot", "verify", id, "--deep", "--identity", key);
        }

        var changing = box.Dir.Combine("changing.txt");
        await box.RunOkAsync(0, "fetch", snapshots[0].GetProperty("id").GetString()!, $"{root}/a/changing.txt", "--identity", key, "--output", changing);
        var first = snapshots[0].GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("path").GetString() == "a/changing.txt");
        Assert.Equal(first.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(changing))));

        await box.RunOkAsync(0, "verify");
        await box.RunOkAsync(0, "verify", "--deep", "--identity", key);

        // Keyless prune keeps every referenced blob and removes only an unreferenced one.
        var stray = Path.Combine(box.StorePath, "blobs", "00", "00", new string('0', 64));
        Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
        File.WriteAllText(stray, "not referenced by any snapshot");
        File.SetLastWriteTimeUtc(stray, DateTime.UtcNow.AddDays(-30));
        var before = StoreFiles(box.StorePath).Where(p => !p.StartsWith("blobs/00/", StringComparison.Ordinal)).ToList();
        await box.RunOkAsync(0, "prune", "--yes", "--grace-period", "0s");
        Assert.False(File.Exists(stray), "prune kept a blob no snapshot references");
        Assert.Equal(before, StoreFiles(box.StorePath));
        await box.RunOkAsync(0, "verify", "--deep", "--identity", key);
    }

    [Fact]
    public async Task A_store_mixing_v2_and_v3_snapshots_verifies_prunes_and_forgets_and_still_restores_exactly()
    {
        using var box = await Sandbox.CreateAsync();
        CopyStore(box.StorePath);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixture, "expected.json")));
        var root = expected.RootElement.GetProperty("root").GetString()!;
        var snapshots = expected.RootElement.GetProperty("snapshots").EnumerateArray().ToList();
        // One identity file with both keys: the fixture's (v2 snapshots) and the sandbox's (the new v3 one).
        var keys = box.Dir.Combine("both-keys.txt");
        File.WriteAllText(keys, File.ReadAllText(Path.Combine(Fixture, "key.txt")) + File.ReadAllText(box.IdentityPath));

        File.WriteAllText(Path.Combine(box.Source, "new.txt"), "a v3 snapshot beside v2 ones\n");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var listed = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, listed.Count);
        var v3 = listed.Select(s => s.GetProperty("id").GetString()!).Single(id => snapshots.All(s => s.GetProperty("id").GetString() != id));
        var manifest = Path.Combine(box.StorePath, "metadata", v3, "manifest.json.zst");
        Assert.Contains("\"format_version\":4", System.Text.Encoding.UTF8.GetString(new ZstdSharp.Decompressor().Unwrap(File.ReadAllBytes(manifest))), StringComparison.Ordinal);

        await box.RunOkAsync(0, "verify", "--deep", "--identity", keys);
        await box.RunOkAsync(0, "prune", "--yes", "--grace-period", "0s");
        await box.RunOkAsync(0, "verify", "--deep", "--identity", keys);

        // Forget the first v2 snapshot: the second (sharing its big blob) and the v3 one restore exactly.
        await box.RunOkAsync(0, "snapshot", "forget", snapshots[0].GetProperty("id").GetString()!, "--yes", "--grace-period", "0s");
        await box.RunOkAsync(0, "verify", "--deep", "--identity", keys);
        var target = box.Dir.Combine("restore-v2");
        await box.RunOkAsync(0, "restore", snapshots[1].GetProperty("id").GetString()!, target, "--identity", keys);
        CompareTree(Sandbox.Restored(target, root), snapshots[1].GetProperty("entries"));
        var v3Target = box.Dir.Combine("restore-v3");
        await box.RunOkAsync(0, "restore", v3, v3Target, "--identity", keys);
        Assert.Equal("a v3 snapshot beside v2 ones\n", File.ReadAllText(Sandbox.Restored(v3Target, Path.Combine(box.Source, "new.txt"))));
    }

    /// <summary>Every expected entry, and nothing else, below <paramref name="restored"/>; hard-link groups share an inode.</summary>
    private static void CompareTree(string restored, JsonElement entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var groups = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var entry in entries.EnumerateArray())
        {
            var path = entry.GetProperty("path").GetString()!;
            seen.Add(path);
            var full = Path.Combine(restored, path);
            var status = Posix.Lstat(full);
            var type = status.IsDirectory ? "dir" : status.IsSymlink ? "symlink" : status.IsRegular ? "file" : "other";
            Assert.True(entry.GetProperty("type").GetString() == type, $"{path}: type {type}");
            var mode = entry.GetProperty("mode").GetInt32();
            Assert.True(mode == (status.Mode & 0xFFF), $"{path}: mode {Convert.ToString(status.Mode & 0xFFF, 8)}, expected {Convert.ToString(mode, 8)}");
            Assert.True(entry.GetProperty("mtime_ns").GetInt64() == status.MtimeNs, $"{path}: mtime_ns {status.MtimeNs}");
            if (type != "dir")
            {
                Assert.True(entry.GetProperty("size").GetInt64() == status.Size, $"{path}: size {status.Size}");
            }

            if (type == "symlink")
            {
                Assert.Equal(entry.GetProperty("link_target").GetString(), Posix.ReadLink(full));
            }

            if (type == "file")
            {
                Assert.True(entry.GetProperty("sha256").GetString() == Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full))), $"{path}: content differs");
            }

            if (entry.TryGetProperty("hardlink_group", out var group))
            {
                if (groups.TryGetValue(group.GetString()!, out var inode))
                {
                    Assert.True(inode == status.Inode, $"{path}: not hard-linked to {group.GetString()}");
                }
                else
                {
                    groups[group.GetString()!] = status.Inode;
                }
            }
        }

        var actual = Directory.EnumerateFileSystemEntries(restored, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(restored, p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(seen.Order(StringComparer.Ordinal), actual);
        Assert.Single(groups); // shared/first and shared/second, checked above to share an inode
    }

    private static void CopyStore(string store)
    {
        foreach (var file in StoreFiles(Fixture).Where(p => p.StartsWith("blobs/", StringComparison.Ordinal) || p.StartsWith("metadata/", StringComparison.Ordinal)))
        {
            var to = Path.Combine(store, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(Path.Combine(Fixture, file), to);
        }
    }

    private static List<string> StoreFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(dir, p))
            .Where(p => p.StartsWith("blobs/", StringComparison.Ordinal) || p.StartsWith("metadata/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vaultik.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("cannot find the repository root above the test binaries");
    }
}
