using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>The main job end to end through the real CLI on a local store: create, list, restore, compare.</summary>
public sealed class SnapshotRoundTripTests
{
    [Fact]
    public async Task Restore_reproduces_the_tree_byte_for_byte_with_modes_mtimes_symlinks_and_empty_dirs()
    {
        using var box = await Sandbox.CreateAsync();
        TestTree.Build(box.Source);

        var create = await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", "tree", "--json");
        var created = JsonDocument.Parse(create.StdOut).RootElement[0];
        Assert.Equal("tree", created.GetProperty("name").GetString());
        Assert.True(created.GetProperty("blobs_uploaded").GetInt64() >= 1);
        Assert.True(created.GetProperty("bytes_read").GetInt64() > 50L << 20);

        var target = box.Dir.Combine("restore");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);

        var differences = TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source));
        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }

    [Fact]
    public async Task An_unchanged_rerun_reads_and_uploads_nothing()
    {
        using var box = await Sandbox.CreateAsync();
        TestTree.Build(box.Source, largeFileBytes: 8 << 20, smallFiles: 50);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var again = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "create", box.Source, "--json")).StdOut).RootElement[0];
        Assert.Equal(0, again.GetProperty("bytes_read").GetInt64());
        Assert.Equal(0, again.GetProperty("blobs_uploaded").GetInt64());
        Assert.Equal(0, again.GetProperty("files_new").GetInt64() + again.GetProperty("files_changed").GetInt64());
        Assert.True(again.GetProperty("files_unchanged").GetInt64() > 50);
        Assert.True(again.GetProperty("blob_count").GetInt64() >= 1, "the second snapshot still references every blob");
    }

    [Fact]
    public async Task A_one_byte_edit_in_a_large_file_uploads_about_one_chunk()
    {
        using var box = await Sandbox.CreateAsync();
        var big = Path.Combine(box.Source, "big.bin");
        TestTree.WriteLargeFile(big, 40L << 20, seed: 7);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        using (var stream = new FileStream(big, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 20L << 20;
            var b = stream.ReadByte();
            stream.Position = 20L << 20;
            stream.WriteByte((byte)(b ^ 0xFF));
        }

        var edit = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "create", box.Source, "--json")).StdOut).RootElement[0];
        Assert.Equal(1, edit.GetProperty("files_changed").GetInt64());
        Assert.InRange(edit.GetProperty("chunks_new").GetInt64(), 1, 2);
        Assert.InRange(edit.GetProperty("bytes_new").GetInt64(), 1, 8L << 20);

        var target = box.Dir.Combine("restore");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
    }

    [Fact]
    public async Task Snapshot_list_json_has_the_documented_keys_oldest_first()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", "first");
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", "second");

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal("first", list[0].GetProperty("name").GetString());
        Assert.Equal("second", list[1].GetProperty("name").GetString());
        foreach (var key in new[] { "id", "name", "hostname", "created", "file_count", "blob_count", "compressed_size" })
        {
            Assert.True(list[0].TryGetProperty(key, out _), $"missing key {key}");
        }

        Assert.StartsWith(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), list[0].GetProperty("id").GetString());
        Assert.NotEqual(list[0].GetProperty("id").GetString(), list[1].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_partial_restore_brings_back_only_the_selected_subtree()
    {
        using var box = await Sandbox.CreateAsync();
        TestTree.Build(box.Source, largeFileBytes: 4 << 20, smallFiles: 20);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var target = box.Dir.Combine("restore");
        var nested = Path.Combine(box.Source, "nested");
        await box.RunOkAsync(0, "restore", "latest", target, nested, "--identity", box.IdentityPath);

        Assert.Empty(TreeComparer.Compare(nested, Sandbox.Restored(target, nested), compareRootMetadata: true));
        Assert.False(File.Exists(Sandbox.Restored(target, Path.Combine(box.Source, "large.bin"))));
    }

    [Fact]
    public async Task Restore_refuses_a_non_empty_target_unless_overwrite()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "new content");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("restore");
        var stale = Sandbox.Restored(target, Path.Combine(box.Source, "a.txt"));
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.WriteAllText(stale, "stale");

        var refused = await box.RunOkAsync(2, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Contains("not empty", refused.StdErr);
        Assert.Equal("stale", File.ReadAllText(stale));

        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--overwrite");
        Assert.Equal("new content", File.ReadAllText(stale));
    }

    [Fact]
    public async Task The_identity_can_come_from_VAULTIK_AGE_SECRET_KEY()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "env key");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        box.Cli.Environment["VAULTIK_AGE_SECRET_KEY"] = File.ReadAllLines(box.IdentityPath).Single(l => l.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal));
        var target = box.Dir.Combine("restore");
        await box.RunOkAsync(0, "restore", "latest", target);
        Assert.Equal("env key", File.ReadAllText(Sandbox.Restored(target, Path.Combine(box.Source, "a.txt"))));
    }
}
