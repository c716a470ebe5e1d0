using System.Globalization;
using Vaultik.Core.Catalog;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Prune;

/// <summary>
/// Which snapshots <c>snapshot purge</c> keeps, per (hostname, name) group, combined like restic's forget:
/// the newest <see cref="KeepLast"/>, and the newest snapshot in each of the last N hours, days, ISO weeks,
/// months and years that have one; every snapshot written within <see cref="KeepWithin"/> of the group's newest;
/// every snapshot carrying any of <see cref="KeepTags"/>; with <see cref="OlderThan"/>, anything younger is kept too. A snapshot
/// is removed only if nothing keeps it. Times are the store's (<see cref="CatalogEntry.Written"/>), never a
/// manifest's claim, and only trusted entries (complete, not suspect) are counted, kept or removed: anything
/// else is left out of both lists, so a forged or broken manifest can neither take a genuine snapshot's
/// place nor be removed by a keep rule.
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

    /// <summary>Keep every snapshot written less than this before the newest snapshot of its group (restic's <c>--keep-within</c>).</summary>
    public TimeSpan? KeepWithin { get; init; }

    /// <summary>Keep every snapshot carrying any of these tags (restic's <c>--keep-tag</c>).</summary>
    public IReadOnlyList<string> KeepTags { get; init; } = [];

    public bool HasKeepRules => KeepLast + KeepHourly + KeepDaily + KeepWeekly + KeepMonthly + KeepYearly > 0 || KeepWithin is not null || KeepTags.Count > 0;

    public bool IsEmpty => !HasKeepRules && OlderThan is null;

    /// <summary>Splits the trusted entries of <paramref name="snapshots"/> into those kept and those to remove.</summary>
    public (IReadOnlyList<CatalogEntry> Keep, IReadOnlyList<CatalogEntry> Remove) Apply(IEnumerable<CatalogEntry> snapshots, DateTimeOffset now)
    {
        if (IsEmpty)
        {
            throw new ConfigurationException("cannot purge: give --keep-latest, --older-than or a --keep-* rule");
        }

        if (KeepWithin is { } within && within <= TimeSpan.Zero)
        {
            throw new ConfigurationException("cannot purge: --keep-within must be longer than zero");
        }

        var keep = new HashSet<string>(StringComparer.Ordinal);
        var all = snapshots.Where(s => s.IsTrusted).ToList();
        foreach (var group in all.GroupBy(s => (s.Manifest!.Hostname, s.Manifest.Name)))
        {
            var newestFirst = group.OrderByDescending(s => s.Written).ThenByDescending(s => s.Id, StringComparer.Ordinal).ToList();
            KeepBuckets(newestFirst, KeepLast, s => s.Id, keep);
            KeepBuckets(newestFirst, KeepHourly, s => s.Written.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture), keep);
            KeepBuckets(newestFirst, KeepDaily, s => s.Written.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), keep);
            KeepBuckets(newestFirst, KeepWeekly, s => $"{ISOWeek.GetYear(s.Written.UtcDateTime)}-{ISOWeek.GetWeekOfYear(s.Written.UtcDateTime)}", keep);
            KeepBuckets(newestFirst, KeepMonthly, s => s.Written.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture), keep);
            KeepBuckets(newestFirst, KeepYearly, s => s.Written.UtcDateTime.ToString("yyyy", CultureInfo.InvariantCulture), keep);
            if (KeepWithin is { } span)
            {
                var from = newestFirst[0].Written - span;
                foreach (var s in newestFirst.Where(s => s.Written > from))
                {
                    keep.Add(s.Id);
                }
            }

            foreach (var s in newestFirst.Where(s => SnapshotTags.HasAny(s.Manifest!.Tags, KeepTags)))
            {
                keep.Add(s.Id);
            }

            if (OlderThan is { } age)
            {
                foreach (var s in newestFirst.Where(s => s.Written > now - age))
                {
                    keep.Add(s.Id);
                }
            }
        }

        return (all.Where(s => keep.Contains(s.Id)).ToList(), all.Where(s => !keep.Contains(s.Id)).ToList());
    }

    private static void KeepBuckets(List<CatalogEntry> newestFirst, int count, Func<CatalogEntry, string> bucket, HashSet<string> keep)
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
