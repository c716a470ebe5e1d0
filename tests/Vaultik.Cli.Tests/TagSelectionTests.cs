using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Tags and selection through the real CLI: --tag on create, stored in the manifest (readable without a key);
/// --tag filters on list, purge, restore latest and fetch latest; snapshot forget; --keep-tag.
/// </summary>
public abstract class TagSelectionTests : StoreScenarioTests
{
    protected async Task<Sandbox> TagBoxAsync()
    {
        var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nhostname: host-a\nprune_grace_period: 0s\n");
        return box;
    }

    /// <summary>Writes <paramref name="content"/> to the source's one file and makes a snapshot with <paramref name="args"/>; returns its id.</summary>
    protected static async Task<string> SnapshotAsync(Sandbox box, string content, params string[] args)
    {
        File.WriteAllText(Path.Combine(box.Source, "file.txt"), content);
        var created = await box.RunOkAsync(0, ["snapshot", "create", box.Source, "--json", .. args]);
        // S3 stamps LastModified to the second: a pause keeps the store's order the order of creation.
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        return JsonDocument.Parse(created.StdOut).RootElement[0].GetProperty("id").GetString()!;
    }

    protected static async Task<List<JsonElement>> ListAsync(Sandbox box, params string[] args) =>
        JsonDocument.Parse((await box.RunOkAsync(0, ["snapshot", "list", "--json", .. args])).StdOut).RootElement.EnumerateArray().ToList();

    protected static List<string> Ids(IEnumerable<JsonElement> rows) => rows.Select(r => r.GetProperty("id").GetString()!).ToList();

    [SkippableFact]
    public async Task Tags_are_stored_in_the_manifest_readable_without_a_key_and_select_list_restore_and_fetch()
    {
        using var box = await TagBoxAsync();
        var first = await SnapshotAsync(box, "one", "--tag", "weekly", "--tag", "db:main", "--tag", "weekly");
        var second = await SnapshotAsync(box, "two", "--tag", "nightly");
        var third = await SnapshotAsync(box, "three");

        // In the store as the format says: a plain zstd manifest, read here with no identity at all.
        var manifest = await ManifestCodec.ReadAsync(Store.Open(box), first, CancellationToken.None);
        Assert.Equal(["db:main", "weekly"], manifest.Tags);
        Assert.Empty((await ManifestCodec.ReadAsync(Store.Open(box), third, CancellationToken.None)).Tags);

        var all = await ListAsync(box);
        Assert.Equal([first, second, third], Ids(all));
        Assert.Equal(["db:main", "weekly"], all[0].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0, all[2].GetProperty("tags").GetArrayLength());
        Assert.Equal([first], Ids(await ListAsync(box, "--tag", "weekly")));
        Assert.Equal([first], Ids(await ListAsync(box, "--tag", "weekly", "--tag", "db:main")));
        Assert.Empty(await ListAsync(box, "--tag", "weekly", "--tag", "nightly")); // every given tag
        var table = await box.RunOkAsync(0, "snapshot", "list", "--tag", "nightly");
        Assert.Contains(second, table.StdOut);
        Assert.Contains("nightly", table.StdOut);
        Assert.DoesNotContain(first, table.StdOut);

        // latest among the tagged: not the newest snapshot.
        var fetched = await box.RunOkAsync(0, "fetch", "latest", Path.Combine(box.Source, "file.txt"), "--identity", box.IdentityPath, "--tag", "weekly");
        Assert.Equal("one", fetched.StdOut);
        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath, "--tag", "nightly");
        Assert.Equal("two", File.ReadAllText(Path.Combine(Sandbox.Restored(target, box.Source), "file.txt")));
        var none = await box.RunOkAsync(1, "restore", "latest", box.Dir.Combine("none"), "--identity", box.IdentityPath, "--tag", "monthly");
        Assert.Contains("tagged monthly", none.StdErr);
    }

    [SkippableFact]
    public async Task A_bad_tag_is_a_usage_error_and_writes_no_snapshot()
    {
        using var box = await TagBoxAsync();
        File.WriteAllText(Path.Combine(box.Source, "file.txt"), "x");
        foreach (var bad in new[] { "has space", "", new string('t', 65), "a/b" })
        {
            var refused = await box.RunOkAsync(2, "snapshot", "create", box.Source, "--tag", bad);
            Assert.Contains("cannot use --tag", refused.StdErr);
            Assert.Single(refused.StdErr.Trim().Split('\n'));
        }

        Assert.Empty(await Store.ListAsync(box, "metadata/"));
        await box.RunOkAsync(2, "snapshot", "list", "--tag", "has space");
        await box.RunOkAsync(2, "snapshot", "purge", "--keep-tag", "has space", "--dry-run");
    }

    [SkippableFact]
    public async Task Forget_removes_exactly_the_named_snapshots_after_a_dry_run_and_prunes_their_data()
    {
        using var box = await TagBoxAsync();
        var a = await SnapshotAsync(box, new string('a', 5000));
        var b = await SnapshotAsync(box, new string('b', 5000));
        var c = await SnapshotAsync(box, new string('c', 5000));
        var blobs = (await Store.ListAsync(box, "blobs/")).Count;

        var dry = await box.RunOkAsync(0, "snapshot", "forget", a, c, "--dry-run");
        Assert.Contains($"forget {a}", dry.StdOut);
        Assert.Contains($"forget {c}", dry.StdOut);
        Assert.DoesNotContain(b, dry.StdOut);
        var dryJson = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "forget", a, c, "--dry-run", "--json")).StdOut).RootElement;
        Assert.True(dryJson.GetProperty("dry_run").GetBoolean());
        Assert.Equal([a, c], dryJson.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, (await ListAsync(box)).Count);

        var refused = await box.RunOkAsync(2, "snapshot", "forget", a);
        Assert.Contains("--yes", refused.StdErr);
        Assert.Equal(3, (await ListAsync(box)).Count);

        var done = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "forget", a, c, a, "--yes", "--json")).StdOut).RootElement;
        Assert.False(done.GetProperty("dry_run").GetBoolean());
        Assert.Equal([a, c], done.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, done.GetProperty("retained_snapshots").GetArrayLength());
        Assert.Equal(0, done.GetProperty("retained").GetArrayLength());
        // Each of a and c had a data blob and a row stream blob (format 3 metadata) of its own.
        Assert.Equal(4, done.GetProperty("prune").GetProperty("blobs_deleted").GetInt32());
        Assert.Equal([b], Ids(await ListAsync(box)));
        Assert.Equal(blobs - 4, (await Store.ListAsync(box, "blobs/")).Count);
        Assert.DoesNotContain(await Store.ListAsync(box, "metadata/"), o => o.Key.Contains(a, StringComparison.Ordinal) || o.Key.Contains(c, StringComparison.Ordinal));
        await box.RunOkAsync(0, "verify");
    }

    [SkippableFact]
    public async Task Forget_with_an_unknown_or_malformed_id_removes_nothing()
    {
        using var box = await TagBoxAsync();
        var a = await SnapshotAsync(box, "a");
        var b = await SnapshotAsync(box, "b");
        var before = (await Store.ListAsync(box, "")).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        var unknown = a[..^8] + "00000000";

        var missing = await box.RunOkAsync(1, "snapshot", "forget", a, unknown, "--yes");
        Assert.Contains($"cannot forget snapshot {unknown}", missing.StdErr);
        Assert.Contains("nothing was removed", missing.StdErr);
        Assert.Single(missing.StdErr.Trim().Split('\n'));
        var malformed = await box.RunOkAsync(2, "snapshot", "forget", b, "latest", "--yes");
        Assert.Contains("not a snapshot id", malformed.StdErr);
        await box.RunOkAsync(2, "snapshot", "forget", "--yes");

        Assert.Equal(before, (await Store.ListAsync(box, "")).Select(o => o.Key).Order(StringComparer.Ordinal).ToList());
        Assert.Equal([a, b], Ids(await ListAsync(box)));
    }

    [SkippableFact]
    public async Task Purge_with_tag_filter_and_keep_tag_removes_only_what_no_tag_keeps()
    {
        using var box = await TagBoxAsync();
        var release = await SnapshotAsync(box, "1", "--tag", "release");
        var nightly1 = await SnapshotAsync(box, "2", "--tag", "nightly");
        var nightly2 = await SnapshotAsync(box, "3", "--tag", "nightly");
        var plain = await SnapshotAsync(box, "4");

        // --tag limits which snapshots purge considers: only the nightly ones, newest kept.
        var filtered = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-latest", "--tag", "nightly", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Equal([nightly1], filtered.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([nightly2], filtered.GetProperty("kept").EnumerateArray().Select(e => e.GetString()));

        var purged = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-tag", "release", "--keep-tag", "pinned", "--yes", "--json")).StdOut).RootElement;
        Assert.Equal(new[] { nightly1, nightly2, plain }.Order(StringComparer.Ordinal), purged.GetProperty("removed").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal([release], Ids(await ListAsync(box)));
    }

    [SkippableFact]
    public async Task A_suspect_snapshot_is_forgotten_by_its_directory_id_never_by_the_id_its_manifest_claims()
    {
        using var box = await TagBoxAsync();
        var victim = await SnapshotAsync(box, "keep me");
        var forged = await SnapshotAsync(box, "forged");
        // An attacker points the forged directory at the victim: its manifest and metadata are the victim's copies.
        foreach (var file in new[] { "manifest.json.zst", "db.zst.age" })
        {
            await Store.ReplaceAsync(box, $"metadata/{forged}/{file}", await Store.ReadAsync(box, $"metadata/{victim}/{file}"));
        }

        var listed = await ListAsync(box);
        Assert.Contains("names snapshot", listed.Single(r => r.GetProperty("id").GetString() == forged).GetProperty("suspect").GetString());

        var dry = await box.RunOkAsync(0, "snapshot", "forget", forged, "--dry-run");
        Assert.Contains($"forget {forged} (suspect)", dry.StdOut);
        await box.RunOkAsync(0, "snapshot", "forget", forged, "--yes");
        Assert.Equal([victim], Ids(await ListAsync(box)));
        Assert.Empty(await Store.ListAsync(box, $"metadata/{forged}/"));
        var fetched = await box.RunOkAsync(0, "fetch", victim, Path.Combine(box.Source, "file.txt"), "--identity", box.IdentityPath);
        Assert.Equal("keep me", fetched.StdOut);
    }

    [SkippableFact]
    public async Task A_manifest_whose_tags_were_rewritten_is_refused_by_restore_and_deep_verify()
    {
        using var box = await TagBoxAsync();
        var id = await SnapshotAsync(box, "data", "--tag", "nightly");
        var key = $"metadata/{id}/manifest.json.zst";
        var genuine = await ManifestCodec.ReadAsync(Store.Open(box), id, CancellationToken.None);
        await Store.ReplaceAsync(box, key, ManifestCodec.Encode(genuine with { Tags = ["release"] }));

        // Without a key the manifest is all there is: the forged tag is listed.
        Assert.Equal([id], Ids(await ListAsync(box, "--tag", "release")));
        var refused = await box.RunOkAsync(1, "restore", id, box.Dir.Combine("r"), "--identity", box.IdentityPath);
        Assert.Contains("its metadata has tags 'nightly', the manifest says 'release'", refused.StdErr);
        var verify = await box.RunOkAsync(5, "snapshot", "verify", id, "--deep", "--identity", box.IdentityPath);
        Assert.Contains("tags", verify.StdOut + verify.StdErr);
    }

    [SkippableFact]
    public async Task Verify_with_identity_and_without_deep_checks_the_metadata_with_the_key_and_downloads_no_data_blob()
    {
        using var box = await TagBoxAsync();
        var id = await SnapshotAsync(box, "data", "--tag", "nightly");
        var clean = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "verify", id, "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Equal(0, clean.GetProperty("blobs_deep_checked").GetInt32());

        var genuine = await ManifestCodec.ReadAsync(Store.Open(box), id, CancellationToken.None);
        await Store.ReplaceAsync(box, $"metadata/{id}/manifest.json.zst", ManifestCodec.Encode(genuine with { Tags = ["release"] }));

        // Without a key the forged manifest is all there is; with the key, even without --deep, the metadata is decrypted and compared.
        await box.RunOkAsync(0, "snapshot", "verify", id);
        var one = await box.RunOkAsync(5, "snapshot", "verify", id, "--identity", box.IdentityPath);
        Assert.Contains("tags", one.StdOut + one.StdErr);
        var all = JsonDocument.Parse((await box.RunOkAsync(5, "verify", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.False(all.GetProperty("ok").GetBoolean());
        Assert.Equal(0, all.GetProperty("blobs_deep_checked").GetInt32());
        Assert.Contains(all.GetProperty("problems").EnumerateArray(), p => p.GetProperty("problem").GetString()!.Contains("tags", StringComparison.Ordinal));
    }
}
