using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Item 5 of issue 14 performed as an attacker with the public format would: forged manifests (future dates,
/// no metadata, copied metadata), broken metadata, and a store shared by two hosts. list, latest and purge
/// must not be fooled; on every kind of store.
/// </summary>
public abstract class ForgedSnapshotTests : StoreScenarioTests
{
    private static readonly DateTimeOffset Future = new(2099, 1, 1, 3, 0, 0, TimeSpan.Zero);

    private async Task<Sandbox> HostBoxAsync()
    {
        var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nhostname: host-a\nprune_grace_period: 0s\n");
        return box;
    }

    /// <summary><paramref name="count"/> genuine snapshots of a tree whose notes.txt says which one it is; returns their ids, oldest first.</summary>
    private async Task<List<string>> GenuineAsync(Sandbox box, int count)
    {
        for (var i = 0; i < count; i++)
        {
            File.WriteAllText(Path.Combine(box.Source, "notes.txt"), $"genuine {i}");
            await box.RunOkAsync(0, "snapshot", "create", box.Source);
        }

        return (await ListAsync(box)).Select(s => s.GetProperty("id").GetString()!).ToList();
    }

    private static async Task<List<JsonElement>> ListAsync(Sandbox box, params string[] extra) =>
        JsonDocument.Parse((await box.RunOkAsync(0, ["snapshot", "list", "--json", .. extra])).StdOut).RootElement.EnumerateArray().ToList();

    /// <summary>
    /// Writes <paramref name="count"/> manifests dated 2099 that copy a genuine one's blob list; with
    /// <paramref name="metadataFrom"/>, beside each a copy of that snapshot's metadata object, with its size in the manifest.
    /// </summary>
    private async Task<List<string>> ForgeAsync(Sandbox box, string genuine, int count, string? metadataFrom)
    {
        var store = Store.Open(box);
        var template = ManifestCodec.Decode(await Store.ReadAsync(box, $"metadata/{genuine}/manifest.json.zst"), $"metadata/{genuine}/manifest.json.zst");
        var metadata = metadataFrom is null ? null : await Store.ReadAsync(box, $"metadata/{metadataFrom}/db.zst.age");
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var created = Future.AddDays(i);
            var id = $"{created.UtcDateTime:yyyy-MM-dd-HHmmss}-host_a-adhoc-f0f0f0f{i}";
            var forged = template with { Id = id, Created = created, MetadataSize = metadata?.Length ?? template.MetadataSize };
            if (metadata is not null)
            {
                await store.PutAsync($"metadata/{id}/db.zst.age", new MemoryStream(metadata));
            }

            await store.PutAsync($"metadata/{id}/manifest.json.zst", new MemoryStream(ManifestCodec.Encode(forged)));
            ids.Add(id);
        }

        return ids;
    }

    private async Task<string> FetchLatestAsync(Sandbox box, params string[] extra) =>
        (await box.RunOkAsync(0, ["fetch", "latest", Path.Combine(box.Source, "notes.txt"), "--identity", box.IdentityPath, .. extra])).StdOut;

    [SkippableFact]
    public async Task Future_dated_manifests_without_metadata_are_not_listed_not_latest_and_purge_removes_no_genuine_snapshot()
    {
        using var box = await HostBoxAsync();
        var genuine = await GenuineAsync(box, 2);
        var forged = await ForgeAsync(box, genuine[1], 3, metadataFrom: null);

        var list = await box.RunOkAsync(0, "snapshot", "list", "--json");
        Assert.Equal(genuine, JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.All(forged, id => Assert.Contains($"snapshot {id} is incomplete", list.StdErr));
        Assert.Equal("genuine 1", await FetchLatestAsync(box));

        var plan = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "3", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Empty(plan.GetProperty("removed").EnumerateArray());
        Assert.Equal(genuine.Order(), plan.GetProperty("kept").EnumerateArray().Select(e => e.GetString()!).Order());
        var text = await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "1", "--dry-run");
        Assert.Contains($"remove {genuine[0]}", text.StdOut);
        Assert.DoesNotContain($"remove {genuine[1]}", text.StdOut);
    }

    [SkippableFact]
    public async Task Future_dated_manifests_with_copied_metadata_are_suspect_never_latest_and_purge_leaves_them_and_every_genuine_snapshot()
    {
        using var box = await HostBoxAsync();
        var genuine = await GenuineAsync(box, 3);
        var forged = await ForgeAsync(box, genuine[0], 3, metadataFrom: genuine[0]);

        var listed = await ListAsync(box);
        Assert.Equal(6, listed.Count);
        foreach (var s in listed)
        {
            var id = s.GetProperty("id").GetString()!;
            Assert.Equal(forged.Contains(id), s.GetProperty("suspect").ValueKind == JsonValueKind.String);
            Assert.Empty(s.GetProperty("tampered").EnumerateArray());
            Assert.True(s.GetProperty("written").GetDateTimeOffset() < Future, "written is the store's clock, not the claim");
        }

        Assert.Contains("suspect", (await box.RunOkAsync(0, "snapshot", "list")).StdOut);
        Assert.Equal("genuine 2", await FetchLatestAsync(box));

        var purge = await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "3", "--yes", "--json");
        var result = JsonDocument.Parse(purge.StdOut).RootElement;
        Assert.Empty(result.GetProperty("removed").EnumerateArray());
        Assert.Equal(forged, result.GetProperty("suspect").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var text = await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "2", "--yes");
        Assert.Contains($"remove {genuine[0]}", text.StdOut);
        Assert.All(forged, id => Assert.Contains($"suspect, left alone {id}", text.StdOut));

        var after = (await ListAsync(box)).Select(s => s.GetProperty("id").GetString()!).ToList();
        Assert.Equal([genuine[1], genuine[2], .. forged], after);
        await box.RunOkAsync(0, "restore", genuine[1], box.Dir.Combine("r"), "--identity", box.IdentityPath);
        Assert.Equal("genuine 1", File.ReadAllText(Sandbox.Restored(box.Dir.Combine("r"), Path.Combine(box.Source, "notes.txt"))));
    }

    [SkippableFact]
    public async Task A_snapshot_whose_metadata_is_missing_or_of_the_wrong_size_is_incomplete()
    {
        using var box = await HostBoxAsync();
        var genuine = await GenuineAsync(box, 3);
        var store = Store.Open(box);
        await store.DeleteAsync($"metadata/{genuine[1]}/db.zst.age");
        var metadata = await Store.ReadAsync(box, $"metadata/{genuine[2]}/db.zst.age");
        await Store.ReplaceAsync(box, $"metadata/{genuine[2]}/db.zst.age", metadata[..^1]);

        var list = await box.RunOkAsync(0, "snapshot", "list", "--json");
        Assert.Equal([genuine[0]], JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Contains("is missing", list.StdErr);
        Assert.Contains($"has {metadata.Length - 1} bytes", list.StdErr);
        Assert.Equal("genuine 0", await FetchLatestAsync(box));
        var plan = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "1", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Empty(plan.GetProperty("removed").EnumerateArray());
    }

    [SkippableFact]
    public async Task Latest_is_this_hosts_unless_host_says_otherwise_and_list_and_purge_filter_by_host()
    {
        using var box = await HostBoxAsync();
        await GenuineAsync(box, 1);
        var hostB = box.Dir.Combine("host-b.yml");
        File.WriteAllText(hostB, File.ReadAllText(box.ConfigPath).Replace("hostname: host-a", "hostname: host-b", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(box.Source, "notes.txt"), "from host b");
        await box.RunOkAsync(0, "--config", hostB, "snapshot", "create", box.Source);

        Assert.Equal("genuine 0", await FetchLatestAsync(box));
        Assert.Equal("from host b", await FetchLatestAsync(box, "--host", "host-b"));
        Assert.Equal("from host b", (await box.RunOkAsync(0, "--config", hostB, "fetch", "latest", Path.Combine(box.Source, "notes.txt"), "--identity", box.IdentityPath)).StdOut);
        await box.RunOkAsync(0, "restore", "latest", box.Dir.Combine("r"), "--identity", box.IdentityPath, "--host", "host-b");
        Assert.Equal("from host b", File.ReadAllText(Sandbox.Restored(box.Dir.Combine("r"), Path.Combine(box.Source, "notes.txt"))));
        var none = await box.RunOkAsync(1, "fetch", "latest", Path.Combine(box.Source, "notes.txt"), "--identity", box.IdentityPath, "--host", "host-c");
        Assert.Contains("host-a, host-b (use --host HOST)", none.StdErr);

        Assert.Equal(["host-b"], (await ListAsync(box, "--host", "host-b")).Select(s => s.GetProperty("hostname").GetString()));
        Assert.Equal(2, (await ListAsync(box)).Count);
        var plan = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "1", "--host", "host-b", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Single(plan.GetProperty("kept").EnumerateArray());
        Assert.Contains("host_b", plan.GetProperty("kept")[0].GetString());
    }
}
