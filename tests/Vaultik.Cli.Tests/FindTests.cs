using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Layout;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>`vaultik find`: history across snapshots, filters, and the local metadata cache (warm, plain, tampered); on every kind of store.</summary>
public abstract class FindTests : StoreScenarioTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Three snapshots: added.txt appears in the second, changed.txt changes size and mtime, removed.txt goes in the third.</summary>
    private async Task<(Sandbox Box, string[] Ids)> ThreeSnapshotsAsync(string? configExtra = null)
    {
        var box = await BoxAsync();
        if (configExtra is not null)
        {
            File.AppendAllText(box.ConfigPath, "\n" + configExtra + "\n");
        }

        var keep = Path.Combine(box.Source, "keep.txt");
        var changed = Path.Combine(box.Source, "changed.txt");
        var removed = Path.Combine(box.Source, "removed.txt");
        File.WriteAllText(keep, "keep");
        File.WriteAllText(changed, "v1");
        File.WriteAllText(removed, "bye");
        foreach (var f in new[] { keep, changed, removed })
        {
            File.SetLastWriteTimeUtc(f, T0);
        }

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        File.WriteAllText(Path.Combine(box.Source, "added.txt"), "new");
        File.WriteAllText(changed, "version 2");
        File.SetLastWriteTimeUtc(changed, T0.AddHours(1));
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        File.Delete(removed);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        return (box, await IdsAsync(box));
    }

    private static async Task<string[]> IdsAsync(Sandbox box)
    {
        var list = await box.RunOkAsync(0, "snapshot", "list", "--json");
        return JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();
    }

    private static async Task<JsonElement> FindJsonAsync(Sandbox box, params string[] args)
    {
        var result = await box.RunOkAsync(0, ["find", .. args, "--identity", box.IdentityPath, "--json"]);
        return JsonDocument.Parse(result.StdOut).RootElement;
    }

    private static List<(string Snapshot, string Event, long? Size)> History(JsonElement doc, string path) =>
        doc.GetProperty("paths").EnumerateArray().Single(p => p.GetProperty("path").GetString() == path).GetProperty("history").EnumerateArray()
            .Select(e => (e.GetProperty("snapshot_id").GetString()!, e.GetProperty("event").GetString()!, e.GetProperty("size").ValueKind == JsonValueKind.Null ? (long?)null : e.GetProperty("size").GetInt64()))
            .ToList();

    [SkippableFact]
    public async Task Find_reports_each_paths_history_across_three_snapshots()
    {
        var (box, ids) = await ThreeSnapshotsAsync();
        using var _ = box;
        Assert.Equal(3, ids.Length);
        var doc = await FindJsonAsync(box, "*.txt");
        Assert.Equal(3, doc.GetProperty("summary").GetProperty("snapshots_searched").GetInt32());
        Assert.Equal(4, doc.GetProperty("summary").GetProperty("paths").GetInt32());
        var src = box.Source;
        Assert.Equal([(ids[0], "appeared", 4L), (ids[1], "unchanged", 4L), (ids[2], "unchanged", 4L)], History(doc, $"{src}/keep.txt"));
        Assert.Equal([(ids[1], "appeared", 3L), (ids[2], "unchanged", 3L)], History(doc, $"{src}/added.txt"));
        Assert.Equal([(ids[0], "appeared", 2L), (ids[1], "changed", 9L), (ids[2], "unchanged", 9L)], History(doc, $"{src}/changed.txt"));
        Assert.Equal([(ids[0], "appeared", 3L), (ids[1], "unchanged", 3L), (ids[2], "disappeared", null)], History(doc, $"{src}/removed.txt"));
        var change = doc.GetProperty("paths").EnumerateArray().Single(p => p.GetProperty("path").GetString() == $"{src}/changed.txt").GetProperty("history")[1];
        Assert.Equal(["size", "mtime"], change.GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("2024-01-01T01:00:00.0000000Z", change.GetProperty("mtime").GetString());

        // Only what matches: an absolute pattern, and a name pattern that matches nothing.
        var one = await FindJsonAsync(box, $"{src}/add*");
        Assert.Equal([$"{src}/added.txt"], one.GetProperty("paths").EnumerateArray().Select(p => p.GetProperty("path").GetString()));
        Assert.Empty((await FindJsonAsync(box, "*.nothing")).GetProperty("paths").EnumerateArray());

        // A directory pattern: the directory and everything below it.
        var below = await FindJsonAsync(box, Path.GetFileName(src) + "/", "--snapshot", ids[0]);
        Assert.Equal(4, below.GetProperty("summary").GetProperty("paths").GetInt32());

        var text = await box.RunOkAsync(0, "find", "removed.txt", "--identity", box.IdentityPath);
        Assert.Contains($"{src}/removed.txt\n", text.StdOut, StringComparison.Ordinal);
        Assert.Contains($"  {ids[2]}  disappeared", text.StdOut, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Find_filters_by_snapshot_host_name_and_time()
    {
        var (box, ids) = await ThreeSnapshotsAsync("hostname: host-a");
        using var _ = box;
        var other = box.SecondHost("host-b");
        var r = await other.RunAsync("snapshot", "create", box.Source, "--name", "elsewhere");
        Assert.True(r.ExitCode == 0, r.ToString());
        var all = await IdsAsync(box);
        Assert.Equal(4, all.Length);

        var chosen = await FindJsonAsync(box, "keep.txt", "--snapshot", ids[0], "--snapshot", ids[2]);
        Assert.Equal([ids[0], ids[2]], chosen.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([(ids[0], "appeared", 4L), (ids[2], "unchanged", 4L)], History(chosen, $"{box.Source}/keep.txt"));

        var byHost = await FindJsonAsync(box, "keep.txt", "--host", "host-b");
        Assert.Equal([all[3]], byHost.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(ids, (await FindJsonAsync(box, "keep.txt", "--host", "host-a")).GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var byName = await FindJsonAsync(box, "keep.txt", "--name", "adhoc");
        Assert.Equal(ids, byName.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(0, (await FindJsonAsync(box, "keep.txt", "--older", "2000-01-01")).GetProperty("summary").GetProperty("snapshots_searched").GetInt32());
        Assert.Equal(4, (await FindJsonAsync(box, "keep.txt", "--newer", "1d")).GetProperty("summary").GetProperty("snapshots_searched").GetInt32());

        var bad = await box.RunAsync("find", "keep.txt", "--newer", "yesterday-ish", "--identity", box.IdentityPath);
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("cannot use --newer", bad.StdErr, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("encrypted")]
    [InlineData("plain")]
    public async Task A_warm_cache_answers_with_the_stores_metadata_objects_destroyed(string mode)
    {
        var (box, ids) = await ThreeSnapshotsAsync($"metadata_cache: {mode}");
        using var _ = box;
        var cold = await FindJsonAsync(box, "*.txt");
        Assert.Equal(0, cold.GetProperty("summary").GetProperty("from_cache").GetInt32());
        var cache = Path.Combine(Path.GetDirectoryName(IndexPath(box))!, "metadata-cache");
        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(cache));
        var files = Directory.GetFiles(cache);
        Assert.Equal(6, files.Length);
        Assert.All(files, f => Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(f)));
        Assert.Equal(mode == "plain" ? 3 : 0, files.Count(f => f.EndsWith(".db", StringComparison.Ordinal)));
        if (mode == "encrypted")
        {
            // Nothing of the metadata in the clear at rest: no SQLite header, no path.
            Assert.All(files, f => Assert.DoesNotContain("keep.txt", File.ReadAllText(f), StringComparison.Ordinal));
        }

        // The store's metadata objects replaced by zeros of the same size (and every blob, the row streams among them, deleted).
        var store = Store.Open(box);
        foreach (var id in ids)
        {
            var key = StoreLayout.MetadataKey(id);
            await Store.ReplaceAsync(box, key, new byte[(await Store.ReadAsync(box, key)).Length]);
        }

        foreach (var blob in await Store.ListAsync(box, "blobs/"))
        {
            await store.DeleteAsync(blob.Key);
        }

        var warm = await FindJsonAsync(box, "*.txt");
        Assert.Equal(3, warm.GetProperty("summary").GetProperty("from_cache").GetInt32());
        Assert.Equal(cold.GetProperty("paths").GetRawText(), warm.GetProperty("paths").GetRawText());
        var restore = await box.RunAsync("restore", "latest", box.Dir.Combine("r"), "--identity", box.IdentityPath);
        Assert.NotEqual(0, restore.ExitCode);
        Assert.Equal(ids.Length, (await FindJsonAsync(box, "keep.txt")).GetProperty("summary").GetProperty("matches").GetInt32());
    }

    [SkippableTheory]
    [InlineData("encrypted")]
    [InlineData("plain")]
    public async Task A_tampered_cache_entry_is_not_used_and_is_fetched_again(string mode)
    {
        var (box, ids) = await ThreeSnapshotsAsync($"metadata_cache: {mode}");
        using var _ = box;
        var cold = await FindJsonAsync(box, "*.txt");
        var cache = Path.Combine(Path.GetDirectoryName(IndexPath(box))!, "metadata-cache");
        var data = Directory.GetFiles(cache).Single(f => Path.GetFileName(f).StartsWith(ids[1], StringComparison.Ordinal) && !f.EndsWith(".entry", StringComparison.Ordinal));
        if (mode == "plain")
        {
            // A forged row: removed.txt's size rewritten in the cached database.
            using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={data};Pooling=False");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "UPDATE files SET size = 999 WHERE path LIKE '%removed.txt';";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }
        else
        {
            var bytes = File.ReadAllBytes(data);
            bytes[^5] ^= 0x40;
            File.WriteAllBytes(data, bytes);
        }

        var result = await box.RunOkAsync(0, "find", "*.txt", "--identity", box.IdentityPath, "--json");
        Assert.Contains($"metadata cache entry {Path.Combine(cache, ids[1])}.entry is not used", result.StdErr, StringComparison.Ordinal);
        var doc = JsonDocument.Parse(result.StdOut).RootElement;
        Assert.Equal(2, doc.GetProperty("summary").GetProperty("from_cache").GetInt32());
        Assert.Equal(cold.GetProperty("paths").GetRawText(), doc.GetProperty("paths").GetRawText());

        // A forged sidecar (a MAC made without the identity's key) is refused the same way.
        var sidecar = Path.Combine(cache, ids[0] + ".entry");
        var lines = File.ReadAllLines(sidecar);
        lines[^1] = new string('0', 64);
        File.WriteAllLines(sidecar, lines);
        var again = await box.RunOkAsync(0, "find", "*.txt", "--identity", box.IdentityPath, "--json");
        Assert.Contains("its MAC does not verify", again.StdErr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_cache_directory_that_is_a_symlink_is_refused()
    {
        var (box, _) = await ThreeSnapshotsAsync();
        using var _box = box;
        var cache = Path.Combine(Path.GetDirectoryName(IndexPath(box))!, "metadata-cache");
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        var elsewhere = box.Dir.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.CreateSymbolicLink(cache, elsewhere);
        var result = await box.RunAsync("find", "*.txt", "--identity", box.IdentityPath);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("cannot use metadata cache", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("symlink", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(elsewhere));
    }

    private static string IndexPath(Sandbox box) =>
        box.Cli.Environment.TryGetValue("VAULTIK_INDEX_PATH", out var p) && p is not null ? p
            : Path.Combine(box.Cli.Environment["XDG_DATA_HOME"]!, "vaultik", "index.sqlite");
}
