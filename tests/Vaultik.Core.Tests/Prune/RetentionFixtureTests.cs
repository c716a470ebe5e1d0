using System.Globalization;
using Vaultik.Core.Catalog;
using Vaultik.Core.Config;
using Vaultik.Core.Prune;
using static Vaultik.Core.Tests.Catalog.CatalogFixture;

namespace Vaultik.Core.Tests.Prune;

/// <summary>
/// restic-shaped retention goldens (Fixtures/retention, format in its README): one fixed list of snapshot times,
/// and per policy the labels it must keep; every other snapshot must be removed. The goldens were worked out
/// from the calendar (ISO week 53 of 2020, month and year ends, UTC against local midnight), not from the program.
/// </summary>
public sealed class RetentionFixtureTests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "retention");

    public static TheoryData<string> Goldens()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Dir, "*.golden").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void Every_rule_has_a_golden_and_the_input_is_there()
    {
        var policies = Directory.GetFiles(Dir, "*.golden").Select(f => Path.GetFileNameWithoutExtension(f)).ToList();
        Assert.True(policies.Count >= 10, $"goldens missing in {Dir}");
        Assert.Equal(17, Snapshots().Count);
        foreach (var rule in new[] { "last", "hourly", "daily", "weekly", "monthly", "yearly", "within" })
        {
            Assert.Contains(policies, p => p.Contains(rule, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void The_policy_keeps_exactly_the_golden_set(string golden)
    {
        var lines = File.ReadAllLines(Path.Combine(Dir, golden + ".golden")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var policy = Parse(Field(lines, "policy:"));
        var expected = Field(lines, "keep:").Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        var snapshots = Snapshots();
        Assert.All(expected, label => Assert.Contains(label, snapshots.Keys));

        var (keep, remove) = policy.Apply(snapshots.Values, Now);
        var label = snapshots.ToDictionary(kv => kv.Value.Id, kv => kv.Key, StringComparer.Ordinal);
        Assert.Equal(expected, keep.Select(e => label[e.Id]).Order(StringComparer.Ordinal));
        Assert.Equal(snapshots.Keys.Except(expected).Order(StringComparer.Ordinal), remove.Select(e => label[e.Id]).Order(StringComparer.Ordinal));
    }

    private static string Field(List<string> lines, string prefix) =>
        lines.Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();

    /// <summary>The input: label → a complete snapshot of host-a/adhoc written (by the store's clock) at the line's time.</summary>
    private static Dictionary<string, CatalogEntry> Snapshots()
    {
        var result = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(Dir, "snapshots.txt")).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var written = DateTimeOffset.Parse(f[1], CultureInfo.InvariantCulture, DateTimeStyles.None);
            var id = Id(written, suffix: result.Count.ToString("x8", CultureInfo.InvariantCulture));
            result.Add(f[0], new CatalogEntry(id, Manifest(id, written.AddMinutes(-1)), written, CatalogStatus.Complete, null, []));
        }

        return result;
    }

    private static RetentionPolicy Parse(string rules)
    {
        var policy = new RetentionPolicy();
        foreach (var rule in rules.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (rule[..rule.IndexOf('=')], rule[(rule.IndexOf('=') + 1)..]);
            int N() => int.Parse(value, CultureInfo.InvariantCulture);
            policy = key switch
            {
                "keep-last" => policy with { KeepLast = N() },
                "keep-hourly" => policy with { KeepHourly = N() },
                "keep-daily" => policy with { KeepDaily = N() },
                "keep-weekly" => policy with { KeepWeekly = N() },
                "keep-monthly" => policy with { KeepMonthly = N() },
                "keep-yearly" => policy with { KeepYearly = N() },
                "keep-within" => policy with { KeepWithin = DurationParser.ParseAge(value) },
                _ => throw new InvalidDataException($"unknown rule '{key}'"),
            };
        }

        return policy;
    }
}
