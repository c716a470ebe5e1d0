using System.Globalization;
using System.Text;

namespace Vaultik.Core.Status;

/// <summary>
/// A <see cref="StoreStatus"/> in the Prometheus text exposition format, for node_exporter's textfile collector:
/// each metric's <c># HELP</c> and <c># TYPE</c> lines, then one sample per line, <c>name{labels} value</c>. Label
/// values escape backslash, double quote and newline; help text escapes backslash and newline. Groups without a
/// complete snapshot have only the incomplete and suspect samples.
/// </summary>
public static class PrometheusText
{
    public static string Format(StoreStatus status)
    {
        var text = new StringBuilder();
        var withLatest = status.Groups.Where(g => g.Latest is not null).ToList();
        Metric(text, "vaultik_snapshot_last_success_timestamp_seconds", "When the store wrote the manifest of the group's latest complete snapshot (Unix time, the store's clock).",
            withLatest.Select(g => ((GroupStatus?)g, Seconds(g.Latest!.Written.ToUnixTimeMilliseconds() / 1000.0))));
        Metric(text, "vaultik_snapshot_age_seconds", "Seconds from the latest complete snapshot's manifest being written to this check.",
            withLatest.Select(g => ((GroupStatus?)g, Seconds(g.Latest!.Age.TotalSeconds))));
        Metric(text, "vaultik_snapshot_size_bytes", "Total size of the files in the latest complete snapshot (its manifest's total_size).",
            withLatest.Select(g => ((GroupStatus?)g, Integer(g.Latest!.Size))));
        Metric(text, "vaultik_snapshot_files", "Files in the latest complete snapshot (its manifest's file_count).",
            withLatest.Select(g => ((GroupStatus?)g, Integer(g.Latest!.Files))));
        Metric(text, "vaultik_snapshot_new_bytes", "Stored bytes of the blobs the latest complete snapshot lists that no earlier complete snapshot of the group lists.",
            withLatest.Select(g => ((GroupStatus?)g, Integer(g.Latest!.NewBytes))));
        Metric(text, "vaultik_snapshot_blobs", "Blobs the latest complete snapshot's manifest lists.",
            withLatest.Select(g => ((GroupStatus?)g, Integer(g.Latest!.Blobs))));
        Metric(text, "vaultik_snapshots_incomplete", "Snapshot directories of the group that are incomplete (no manifest, missing or mismatched metadata, or an unreadable manifest).",
            status.Groups.Select(g => ((GroupStatus?)g, Integer(g.Incomplete))));
        Metric(text, "vaultik_snapshots_suspect", "Snapshots of the group whose manifest is not believed (never latest).",
            status.Groups.Select(g => ((GroupStatus?)g, Integer(g.Suspect))));
        Metric(text, "vaultik_store_orphaned_bytes", "Stored bytes of blobs that no manifest in the store references.",
            [(null, Integer(status.OrphanedBytes))]);
        Metric(text, "vaultik_status_stale", "1 when --max-age was given and a group's latest complete snapshot is older, a group has none, or no group was found; else 0.",
            [(null, status.Stale ? "1" : "0")]);
        return text.ToString();
    }

    /// <summary>A label value as the exposition format quotes it.</summary>
    public static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void Metric(StringBuilder text, string name, string help, IEnumerable<(GroupStatus? Group, string Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ')
            .Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var (group, value) in samples)
        {
            text.Append(name);
            if (group is not null)
            {
                text.Append("{host=\"").Append(EscapeLabel(group.Host)).Append("\",name=\"").Append(EscapeLabel(group.Name)).Append("\"}");
            }

            text.Append(' ').Append(value).Append('\n');
        }
    }

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
