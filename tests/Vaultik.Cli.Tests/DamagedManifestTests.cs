using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// One damaged manifest costs only its own snapshot: read-only verbs skip it with a warning naming it (exit 0),
/// verify reports it as a failure (exit 5) and still checks the others, prune and purge refuse (exit 1) and delete nothing.
/// </summary>
public abstract class DamagedManifestTests : StoreScenarioTests
{
    private async Task<(Sandbox Box, string Good, string BadKey)> TwoSnapshotsOneDamagedAsync()
    {
        var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nprune_grace_period: 0s\n");
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "first");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var first = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement[0].GetProperty("id").GetString()!;
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "second");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var ids = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        var good = Assert.Single(ids, i => i != first);
        // The newer snapshot stays good; the older one's manifest is overwritten with bytes that are no manifest.
        var badKey = $"metadata/{first}/manifest.json.zst";
        await Attacker.PutAsync(box, badKey, "this is not a manifest"u8.ToArray());
        return (box, good, badKey);
    }

    private static string[] Warnings(CliResult r) => r.StdErr.Split('\n').Where(l => l.StartsWith("vaultik: warning:", StringComparison.Ordinal)).ToArray();

    [SkippableFact]
    public async Task Read_only_verbs_skip_the_damaged_manifest_with_a_warning_naming_it()
    {
        var (box, good, badKey) = await TwoSnapshotsOneDamagedAsync();
        using var _ = box;

        var list = await box.RunOkAsync(0, "snapshot", "list", "--json");
        Assert.Equal([good], JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Contains(Warnings(list), w => w.Contains(badKey, StringComparison.Ordinal));

        var target = box.Dir.Combine("r");
        var restore = await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Equal("second", File.ReadAllText(Sandbox.Restored(target, Path.Combine(box.Source, "a.txt"))));
        Assert.Contains(Warnings(restore), w => w.Contains(badKey, StringComparison.Ordinal));
        await box.RunOkAsync(0, "restore", good, box.Dir.Combine("r2"), "--identity", box.IdentityPath);

        // verify: checking is its job, so the damaged manifest is a failure, named; the good snapshot is still checked.
        var verify = await box.RunOkAsync(5, "verify", "--json");
        var report = JsonDocument.Parse(verify.StdOut).RootElement;
        Assert.Equal(1, report.GetProperty("snapshots_checked").GetInt32());
        Assert.Contains(report.GetProperty("problems").EnumerateArray(), p => p.GetProperty("object").GetString() == badKey);
        await box.RunOkAsync(0, "snapshot", "verify", good);
    }

    [SkippableFact]
    public async Task Prune_and_purge_refuse_with_one_line_and_delete_nothing()
    {
        var (box, _, badKey) = await TwoSnapshotsOneDamagedAsync();
        using var __ = box;
        var before = (await Store.ListAsync(box, "")).Select(o => o.Key).Where(k => !k.StartsWith("locks/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(before, k => k.StartsWith("blobs/", StringComparison.Ordinal));

        var prune = await box.RunOkAsync(1, "prune", "--yes");
        Assert.Contains(badKey, prune.StdErr.TrimEnd().Split('\n')[^1]);
        var purge = await box.RunOkAsync(1, "snapshot", "purge", "--keep-last", "1", "--yes");
        Assert.Contains(badKey, purge.StdErr.TrimEnd().Split('\n')[^1]);

        var after = (await Store.ListAsync(box, "")).Select(o => o.Key).Where(k => !k.StartsWith("locks/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(before, after);
    }
}
