using System.Globalization;
using Vaultik.Core.Catalog;
using Vaultik.Core.Config;
using Vaultik.Core.Prune;
using static Vaultik.Core.Tests.Catalog.CatalogFixture;

namespace Vaultik.Core.Tests.Prune;

/// <summary>
/// Golden retention cases from TestData/retention/*.policy (format in that folder's README): each snapshot line
/// says whether the policy must keep it, remove it, or leave it out of both (suspect).
/// </summary>
public sealed class RetentionGoldenTests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "TestData", "retention");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Dir, "*.policy").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_golden_cases_are_there()
    {
        Assert.True(Cases().Count >= 4, $"golden retention cases missing in {Dir}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Policy_keeps_and_removes_what_the_case_expects(string file)
    {
        var policy = new RetentionPolicy();
        var now = Now;
        var entries = new List<CatalogEntry>();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(Path.Combine(Dir, file)))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("policy:", StringComparison.Ordinal))
            {
                policy = Parse(line["policy:".Length..]);
                continue;
            }

            if (line.StartsWith("now:", StringComparison.Ordinal))
            {
                now = DateTimeOffset.Parse(line["now:".Length..].Trim(), CultureInfo.InvariantCulture);
                continue;
            }

            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(f.Length == 6, $"{file}: bad line '{line}'");
            var written = DateTimeOffset.Parse(f[0], CultureInfo.InvariantCulture);
            var id = Id(written, f[1], f[2], suffix: entries.Count.ToString("x8", CultureInfo.InvariantCulture));
            var manifest = Manifest(id, written.AddMinutes(-1), f[1], f[2]) with { Tags = f[3] == "-" ? [] : f[3].Split(',') };
            var status = f[4] == "suspect" ? CatalogStatus.Suspect : CatalogStatus.Complete;
            entries.Add(new CatalogEntry(id, manifest, written, status, status == CatalogStatus.Suspect ? "forged" : null, []));
            expected[id] = f[5];
        }

        var (keep, remove) = policy.Apply(entries, now);
        Assert.Equal(Expected("keep"), keep.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Expected("remove"), remove.Select(e => e.Id).Order(StringComparer.Ordinal));

        IEnumerable<string> Expected(string verdict) => expected.Where(kv => kv.Value == verdict).Select(kv => kv.Key).Order(StringComparer.Ordinal);
    }

    private static RetentionPolicy Parse(string rules)
    {
        var policy = new RetentionPolicy();
        foreach (var rule in rules.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (rule[..rule.IndexOf('=')], rule[(rule.IndexOf('=') + 1)..]);
            policy = key switch
            {
                "keep-last" => policy with { KeepLast = int.Parse(value, CultureInfo.InvariantCulture) },
                "keep-daily" => policy with { KeepDaily = int.Parse(value, CultureInfo.InvariantCulture) },
                "keep-within" => policy with { KeepWithin = DurationParser.ParseAge(value) },
                "keep-tag" => policy with { KeepTags = value.Split(',') },
                "older-than" => policy with { OlderThan = DurationParser.ParseAge(value) },
                _ => throw new InvalidDataException($"unknown rule '{key}'"),
            };
        }

        return policy;
    }
}
