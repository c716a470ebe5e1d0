using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Tests;

/// <summary>
/// <c>vaultik store status</c> through the real CLI, run by a monitoring machine that holds no identity (its own
/// HOME and a config with only the public key and the store): two hosts' snapshots sharing a store, values checked
/// against the manifests, going stale, Prometheus output, and bad input.
/// </summary>
public abstract partial class StoreStatusTests : StoreScenarioTests
{
    private static readonly string[] MetricNames =
    [
        "vaultik_snapshot_last_success_timestamp_seconds", "vaultik_snapshot_age_seconds", "vaultik_snapshot_size_bytes", "vaultik_snapshot_files",
        "vaultik_snapshot_new_bytes", "vaultik_snapshot_blobs", "vaultik_snapshots_incomplete", "vaultik_snapshots_suspect",
        "vaultik_store_orphaned_bytes", "vaultik_status_stale",
    ];

    /// <summary>The machine that runs <c>store status</c>: no identity anywhere, and (on S3) read-only credentials where the server allows.</summary>
    protected abstract Task<CliRunner> MonitorAsync(Sandbox box, string config);

    /// <summary>Removes what <see cref="MonitorAsync"/> made outside the sandbox (S3 users).</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Status_reports_two_hosts_from_manifests_goes_stale_and_writes_prometheus_atomically()
    {
        using var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nhostname: host-a\nchunk_min_size: 16KiB\nchunk_avg_size: 64KiB\nchunk_max_size: 256KiB\nblob_size_limit: 1MiB\n");
        TestTree.WriteLargeFile(Path.Combine(box.Source, "first.bin"), 3 << 20, seed: 1);
        var first = await CreateAsync(box.Cli, box.Source, "docs");
        TestTree.WriteLargeFile(Path.Combine(box.Source, "second.bin"), 2 << 20, seed: 2);
        var second = await CreateAsync(box.Cli, box.Source, "docs");
        var hostB = box.SecondHost("host-b");
        var sourceB = box.Dir.Combine("b-src");
        Directory.CreateDirectory(sourceB);
        TestTree.WriteLargeFile(Path.Combine(sourceB, "db.dump"), 1 << 20, seed: 3);
        var onlyB = await CreateAsync(hostB, sourceB, "db");

        var monitorConfig = $"age_recipients: [{box.PublicKey}]\nstorage_url: {box.StorageUrl}\n";
        try
        {
            await CheckStatusAsync(box, await MonitorAsync(box, monitorConfig), first, second, onlyB);
        }
        finally
        {
            await CleanUpAsync();
        }
    }

    private async Task CheckStatusAsync(Sandbox box, CliRunner monitor, string first, string second, string onlyB)
    {
        Assert.False(File.Exists(Path.Combine(monitor.Home, ".config", "vaultik", "key.txt")));

        var m1 = await ManifestAsync(box, first);
        var m2 = await ManifestAsync(box, second);
        var mb = await ManifestAsync(box, onlyB);
        var earlier = m1.Blobs.Select(b => b.Hash).ToHashSet();
        var expectedNew = m2.Blobs.Where(b => !earlier.Contains(b.Hash)).Sum(b => b.Size);
        Assert.True(expectedNew > 0 && expectedNew < m2.CompressedSize, "the second snapshot shares some blobs with the first and adds some");

        var json = JsonDocument.Parse((await RunAsync(monitor, 0, "store", "status", "--json")).StdOut).RootElement;
        Assert.False(json.GetProperty("stale").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("max_age_seconds").ValueKind);
        Assert.Equal(0, json.GetProperty("orphaned_bytes").GetInt64());
        var groups = json.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["host-a/docs", "host-b/db"], groups.Select(g => $"{g.GetProperty("host").GetString()}/{g.GetProperty("name").GetString()}"));
        AssertGroup(groups[0], m2, snapshots: 2, newBytes: expectedNew);
        AssertGroup(groups[1], mb, snapshots: 1, newBytes: mb.Blobs.Sum(b => b.Size));

        var text = (await RunAsync(monitor, 0, "store", "status")).StdOut;
        var rowA = text.Split('\n').Single(l => l.StartsWith("host-a", StringComparison.Ordinal));
        Assert.Matches($@"^host-a\s+docs\s+\S+ \S+\s+.+\s{m2.FileCount}\s+.+\s{m2.Blobs.Count}\s+2\s+0\s+0\s+ok$", rowA.TrimEnd());
        Assert.Contains("2 groups, 0 stale; orphaned: 0 blobs (0 B)", text);

        // An orphan blob (no manifest lists it), an incomplete directory and a suspect copy of host-a's manifest.
        var store = Store.Open(box);
        var orphan = StoreLayout.BlobKey(Vaultik.Core.Hash256.Parse(new string('e', 64)));
        await store.PutAsync(orphan, new MemoryStream(new byte[1234]));
        await store.PutAsync($"metadata/2020-01-01-000000-host_a-docs-0badf00d/{StoreLayout.MetadataFileName}", new MemoryStream(new byte[10]));
        var forged = $"2020-01-02-000000-host_a-docs-0dd0dd00";
        foreach (var file in new[] { StoreLayout.ManifestFileName, StoreLayout.MetadataFileName })
        {
            using var copy = new MemoryStream();
            await using (var original = await store.GetAsync($"metadata/{first}/{file}"))
            {
                await original.CopyToAsync(copy);
            }

            await store.PutAsync($"metadata/{forged}/{file}", new MemoryStream(copy.ToArray()));
        }

        var textfileDir = box.Dir.Combine("textfile");
        Directory.CreateDirectory(textfileDir);
        var prom = Path.Combine(textfileDir, "vaultik.prom");
        File.WriteAllText(prom, "old content\n");
        var withProblems = JsonDocument.Parse((await RunAsync(monitor, 0, "store", "status", "--json", "--max-age", "1h", "--prometheus", prom)).StdOut).RootElement;
        Assert.Equal(3600, withProblems.GetProperty("max_age_seconds").GetDouble());
        Assert.Equal(1234, withProblems.GetProperty("orphaned_bytes").GetInt64());
        Assert.Equal(1, withProblems.GetProperty("orphaned_blobs").GetInt64());
        var a = withProblems.GetProperty("groups")[0];
        Assert.Equal((1, 1, m2.Id), (a.GetProperty("incomplete").GetInt32(), a.GetProperty("suspect").GetInt32(), a.GetProperty("latest_id").GetString()));
        Assert.Equal(["vaultik.prom"], Directory.GetFileSystemEntries(textfileDir).Select(Path.GetFileName));
        AssertPrometheusMatches(File.ReadAllText(prom), withProblems);

        // Stale: --max-age below the snapshots' age exits 6 and names both groups; --host limits to one.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var stale = await RunAsync(monitor, 6, "store", "status", "--max-age", "1s", "--prometheus", prom);
        Assert.Contains("STALE", stale.StdOut);
        Assert.Contains("host-a/docs latest " + m2.Id, stale.StdErr);
        Assert.Contains("host-b/db latest " + mb.Id, stale.StdErr);
        Assert.Contains("vaultik_status_stale 1\n", File.ReadAllText(prom));
        Assert.Equal(["vaultik.prom"], Directory.GetFileSystemEntries(textfileDir).Select(Path.GetFileName));
        var staleJson = JsonDocument.Parse((await RunAsync(monitor, 6, "store", "status", "--max-age", "1s", "--json", "--host", "host-b")).StdOut).RootElement;
        Assert.True(staleJson.GetProperty("stale").GetBoolean());
        Assert.Equal("host-b", staleJson.GetProperty("groups").EnumerateArray().Single().GetProperty("host").GetString());
        Assert.True(staleJson.GetProperty("groups")[0].GetProperty("age_seconds").GetDouble() > 1);
        await RunAsync(monitor, 0, "store", "status", "--max-age", "1h", "--host", "host-b");
        var cron = await RunAsync(monitor, 6, "--cron", "store", "status", "--max-age", "1s");
        Assert.Equal(string.Empty, cron.StdOut);
        Assert.Contains("host-a/docs", cron.StdErr);
        var nobody = await RunAsync(monitor, 6, "store", "status", "--max-age", "1h", "--host", "host-c");
        Assert.Contains("no snapshots of host host-c", nobody.StdErr);

        foreach (var bad in new[] { "soon", "5x", "0s", "-1h" })
        {
            var refused = await RunAsync(monitor, 2, "store", "status", "--max-age", bad);
            Assert.Contains("--max-age", refused.StdErr);
        }
    }

    private static void AssertGroup(JsonElement group, SnapshotManifest latest, int snapshots, long newBytes)
    {
        Assert.Equal(latest.Id, group.GetProperty("latest_id").GetString());
        Assert.Equal(latest.TotalSize, group.GetProperty("size_bytes").GetInt64());
        Assert.Equal(latest.FileCount, group.GetProperty("files").GetInt64());
        Assert.Equal(latest.Blobs.Count, group.GetProperty("blobs").GetInt32());
        Assert.Equal(newBytes, group.GetProperty("new_bytes").GetInt64());
        Assert.Equal(snapshots, group.GetProperty("snapshots").GetInt32());
        Assert.Equal((0, 0, false), (group.GetProperty("incomplete").GetInt32(), group.GetProperty("suspect").GetInt32(), group.GetProperty("stale").GetBoolean()));
        Assert.InRange(group.GetProperty("age_seconds").GetDouble(), 0, 300);
    }

    /// <summary>Every sample line is <c>name{labels} value</c> of a metric with HELP and TYPE lines, and the values are the JSON's.</summary>
    private static void AssertPrometheusMatches(string text, JsonElement json)
    {
        Assert.EndsWith("\n", text);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var described = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                var meta = Regex.Match(line, @"^# (HELP|TYPE) ([a-z_]+) (.+)$");
                Assert.True(meta.Success, line);
                described.Add(meta.Groups[1].Value + " " + meta.Groups[2].Value);
                continue;
            }

            var sample = Sample().Match(line);
            Assert.True(sample.Success, $"not a sample line: {line}");
            Assert.Contains("HELP " + sample.Groups["name"].Value, described);
            Assert.Contains("TYPE " + sample.Groups["name"].Value, described);
            var labels = sample.Groups["host"].Success ? $"{{{sample.Groups["host"].Value}/{sample.Groups["label"].Value}}}" : string.Empty;
            samples.Add(sample.Groups["name"].Value + labels, double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture));
        }

        Assert.All(MetricNames, name => Assert.Contains("TYPE " + name, described));
        foreach (var g in json.GetProperty("groups").EnumerateArray())
        {
            var key = $"{{{g.GetProperty("host").GetString()}/{g.GetProperty("name").GetString()}}}";
            Assert.Equal(g.GetProperty("size_bytes").GetInt64(), samples["vaultik_snapshot_size_bytes" + key]);
            Assert.Equal(g.GetProperty("files").GetInt64(), samples["vaultik_snapshot_files" + key]);
            Assert.Equal(g.GetProperty("new_bytes").GetInt64(), samples["vaultik_snapshot_new_bytes" + key]);
            Assert.Equal(g.GetProperty("blobs").GetInt32(), samples["vaultik_snapshot_blobs" + key]);
            Assert.Equal(g.GetProperty("incomplete").GetInt32(), samples["vaultik_snapshots_incomplete" + key]);
            Assert.Equal(g.GetProperty("suspect").GetInt32(), samples["vaultik_snapshots_suspect" + key]);
            Assert.Equal(g.GetProperty("age_seconds").GetDouble(), samples["vaultik_snapshot_age_seconds" + key], 0.002);
            Assert.Equal(g.GetProperty("latest_written").GetDateTimeOffset().ToUnixTimeMilliseconds() / 1000.0, samples["vaultik_snapshot_last_success_timestamp_seconds" + key], 0.002);
        }

        Assert.Equal(json.GetProperty("orphaned_bytes").GetInt64(), samples["vaultik_store_orphaned_bytes"]);
        Assert.Equal(json.GetProperty("stale").GetBoolean() ? 1 : 0, samples["vaultik_status_stale"]);
    }

    private static async Task<string> CreateAsync(CliRunner cli, string source, string name)
    {
        var result = await RunAsync(cli, 0, "snapshot", "create", source, "--name", name, "--json");
        return JsonDocument.Parse(result.StdOut).RootElement[0].GetProperty("id").GetString()!;
    }

    private async Task<SnapshotManifest> ManifestAsync(Sandbox box, string id) => await ManifestCodec.ReadAsync(Store.Open(box), id, CancellationToken.None);

    protected static async Task<CliResult> RunAsync(CliRunner cli, int expected, params string[] args)
    {
        var result = await cli.RunAsync(args);
        Assert.True(result.ExitCode == expected, $"vaultik {string.Join(' ', args)}: expected exit {expected}\n{result}");
        return result;
    }

    /// <summary>A machine with a fresh HOME (no identity file) and <paramref name="config"/>, plus any extra environment.</summary>
    protected static CliRunner Machine(Sandbox box, string config)
    {
        var path = box.Dir.Combine("monitor.yml");
        File.WriteAllText(path, config);
        var cli = new CliRunner(box.Dir.Combine("home-monitor"));
        cli.Environment["VAULTIK_CONFIG"] = path;
        cli.Environment["VAULTIK_INDEX_PATH"] = box.Dir.Combine("index-monitor.sqlite");
        return cli;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{host=""(?<host>(?:[^""\\]|\\.)*)"",name=""(?<label>(?:[^""\\]|\\.)*)""\})? (?<value>-?[0-9]+(\.[0-9]+)?)$")]
    private static partial Regex Sample();
}
