using System.Globalization;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Prune;

/// <summary>
/// Which snapshots <c>snapshot purge</c> keeps, per (hostname, name) group, combined like restic's forget:
/// the newest <see cref="KeepLast"/>, and the newest snapshot in each of the last N hours, days, ISO weeks,
/// months and years that have one; with <see cref="OlderThan"/>, anything younger is kept too. A snapshot
/// is removed only if nothing keeps it.
/// </summary>
public sealed record RetentionPolicy
{
    public int KeepLast { get; init; }

    public int KeepHourly { get; init; }

    public int KeepDaily { get; init; }

    public int KeepWeekly { get; init; }

    public int KeepMonthly { get; init; }

    public int KeepYearly { get; init; }

    public TimeSpan? OlderThan { get; init; }

    public bool HasKeepRules => KeepLast + KeepHourly + KeepDaily + KeepWeekly + KeepMonthly + KeepYearly > 0;

    public bool IsEmpty => !HasKeepRules && OlderThan is null;

    /// <summary>Splits <paramref name="snapshots"/> into those kept and those to remove, with a reason for each kept one.</summary>
    public (IReadOnlyList<SnapshotManifest> Keep, IReadOnlyList<SnapshotManifest> Remove) Apply(IEnumerable<SnapshotManifest> snapshots, DateTimeOffset now)
    {
        if (IsEmpty)
        {
            throw new ConfigurationException("cannot purge: give --keep-latest, --older-than or a --keep-* rule");
        }

        var keep = new HashSet<string>(StringComparer.Ordinal);
        var all = snapshots.ToList();
        foreach (var group in all.GroupBy(s => (s.Hostname, s.Name)))
        {
            var newestFirst = group.OrderByDescending(s => s.Created).ThenByDescending(s => s.Id, StringComparer.Ordinal).ToList();
            KeepBuckets(newestFirst, KeepLast, s => s.Id, keep);
            KeepBuckets(newestFirst, KeepHourly, s => s.Created.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture), keep);
            KeepBuckets(newestFirst, KeepDaily, s => s.Created.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), keep);
            KeepBuckets(newestFirst, KeepWeekly, s => $"{ISOWeek.GetYear(s.Created.UtcDateTime)}-{ISOWeek.GetWeekOfYear(s.Created.UtcDateTime)}", keep);
            KeepBuckets(newestFirst, KeepMonthly, s => s.Created.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture), keep);
            KeepBuckets(newestFirst, KeepYearly, s => s.Created.UtcDateTime.ToString("yyyy", CultureInfo.InvariantCulture), keep);
            if (OlderThan is { } age)
            {
                foreach (var s in newestFirst.Where(s => s.Created > now - age))
                {
                    keep.Add(s.Id);
                }
            }
        }

        return (all.Where(s => keep.Contains(s.Id)).ToList(), all.Where(s => !keep.Contains(s.Id)).ToList());
    }

    private static void KeepBuckets(List<SnapshotManifest> newestFirst, int count, Func<SnapshotManifest, string> bucket, HashSet<string> keep)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var snapshot in newestFirst)
        {
            if (seen.Count >= count)
            {
                return;
            }

            if (seen.Add(bucket(snapshot)))
            {
                keep.Add(snapshot.Id);
            }
        }
    }
}
