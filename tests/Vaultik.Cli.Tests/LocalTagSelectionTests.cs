using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalTagSelectionTests : TagSelectionTests
{
    protected override TestStore Store { get; } = new TestStore.Local();

    [SkippableFact]
    public async Task Keep_within_counts_back_from_the_newest_snapshot_by_the_store_clock()
    {
        using var box = await TagBoxAsync();
        var a = await SnapshotAsync(box, "a");
        var b = await SnapshotAsync(box, "b");
        var c = await SnapshotAsync(box, "c");
        // The store wrote them days apart (its clock is the manifest's mtime; later than created, so none is suspect).
        var now = DateTime.UtcNow;
        foreach (var (id, days) in new[] { (a, 1), (b, 3), (c, 4) })
        {
            File.SetLastWriteTimeUtc(Path.Combine(box.StorePath, "metadata", id, "manifest.json.zst"), now.AddDays(days));
        }

        var dry = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-within", "36h", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Equal([a], dry.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([b, c], dry.GetProperty("kept").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        // "within" is relative to the newest, not now: nothing is removed with 4 days, though a is 1 day in the future.
        var wide = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-within", "4d", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Equal(0, wide.GetProperty("removed").GetArrayLength());

        await box.RunOkAsync(0, "snapshot", "purge", "--keep-within", "36h", "--yes");
        Assert.Equal([b, c], Ids(await ListAsync(box)));
        await box.RunOkAsync(2, "snapshot", "purge", "--keep-within", "soon", "--dry-run");
    }

    [SkippableFact]
    public async Task Configured_snapshot_tags_are_added_to_command_line_tags()
    {
        using var box = await TagBoxAsync();
        File.WriteAllText(Path.Combine(box.Source, "file.txt"), "x");
        File.AppendAllText(box.ConfigPath, $"snapshots:\n  docs:\n    paths: [\"{box.Source}\"]\n    tags: [daily, docs]\n");
        await box.RunOkAsync(0, "snapshot", "create", "--tag", "manual");
        var row = Assert.Single(await ListAsync(box, "--tag", "docs"));
        Assert.Equal(["daily", "docs", "manual"], row.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        File.AppendAllText(box.ConfigPath, "  bad:\n    paths: [\"/tmp\"]\n    tags: [\"no good\"]\n");
        var refused = await box.RunOkAsync(2, "snapshot", "list");
        Assert.Contains("snapshots.bad.tags", refused.StdErr);
    }
}
