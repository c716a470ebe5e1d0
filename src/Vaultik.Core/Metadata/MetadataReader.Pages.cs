namespace Vaultik.Core.Metadata;

/// <summary>The paging queries of <see cref="MetadataReader"/> that let restore stream a snapshot of any size in bounded memory.</summary>
public sealed partial class MetadataReader
{
    /// <summary>
    /// Up to <paramref name="limit"/> entries in path order, ties (a hostile database without UNIQUE on paths)
    /// by id (ascending, or with <paramref name="descending"/> paths descending), starting at the sort key
    /// <paramref name="from"/> (null: from the start) after skipping the first <paramref name="skip"/> entries
    /// there; only directories with <paramref name="directoriesOnly"/>, only hard links with
    /// <paramref name="hardLinksOnly"/>. Each comes with its sort key (the raw path value) to continue from.
    /// Paging over the unique path index: memory holds one page, whatever the snapshot's size.
    /// </summary>
    public List<(SnapshotEntry Entry, object Key)> ReadEntryPage(object? from, long skip, int limit, bool descending = false, bool directoriesOnly = false, bool hardLinksOnly = false) => Guard(() =>
    {
        var list = new List<(SnapshotEntry, object)>();
        using var cmd = _db.CreateCommand();
        var where = new List<string>();
        if (from is not null)
        {
            where.Add(descending ? "path <= $from" : "path >= $from");
            cmd.Parameters.AddWithValue("$from", from);
        }

        if (directoriesOnly)
        {
            where.Add($"type = '{MetadataSchema.TypeDirectory}'");
        }

        if (hardLinksOnly)
        {
            where.Add("hardlink_to IS NOT NULL");
        }

        var filter = where.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", where);
        cmd.CommandText = $"SELECT {MetadataSql.EntryColumns}, path FROM files {filter} ORDER BY path {(descending ? "DESC" : "ASC")}, id LIMIT $limit OFFSET $skip;";
        cmd.Parameters.AddWithValue("$limit", limit);
        cmd.Parameters.AddWithValue("$skip", skip);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add((ReadEntry(r), r.GetValue(11)));
        }

        return list;
    });

    /// <summary>
    /// The paths between <paramref name="first"/> and <paramref name="last"/> (inclusive, path order) that some
    /// entry is a hard link of. Uses a partial index on <c>hardlink_to</c>, made on first use.
    /// </summary>
    public HashSet<string> HardLinkTargetsBetween(string first, string last) => Guard(() =>
    {
        Exec("CREATE INDEX IF NOT EXISTS _by_hardlink ON files (hardlink_to) WHERE hardlink_to IS NOT NULL;");
        var set = new HashSet<string>(StringComparer.Ordinal);
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT hardlink_to FROM files WHERE hardlink_to IS NOT NULL AND hardlink_to >= $first AND hardlink_to <= $last AND typeof(hardlink_to) = 'text';";
        cmd.Parameters.AddWithValue("$first", first);
        cmd.Parameters.AddWithValue("$last", last);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            set.Add(r.GetString(0));
        }

        return set;
    });
}
