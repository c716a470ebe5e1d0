namespace Vaultik.Core.Metadata;

/// <summary>The queries of <see cref="MetadataReader"/> that the mount's filesystem model (Mount/) pages through.</summary>
public sealed partial class MetadataReader
{
    /// <summary>The SQL expression for a path's parent with its trailing '/' ("" at the top): rtrim strips the last component.</summary>
    private const string ParentOf = "rtrim(path, replace(path, '/', ''))";

    /// <summary>
    /// Makes the helper indexes of the browsing queries (children by parent, hard links by target) on this
    /// private copy; idempotent. Costs one pass over the files table the first time.
    /// </summary>
    public void PrepareForBrowsing() => Guard(() =>
    {
        Exec($"CREATE INDEX IF NOT EXISTS _by_parent ON files ({ParentOf}, path);");
        Exec("CREATE INDEX IF NOT EXISTS _by_hardlink ON files (hardlink_to) WHERE hardlink_to IS NOT NULL;");
        return 0;
    });

    /// <summary>
    /// Up to <paramref name="limit"/> direct children of the directory <paramref name="directory"/> ("" for the
    /// snapshot's top), in path order, after the path <paramref name="after"/> (null: from the first). An index
    /// range per page (<see cref="PrepareForBrowsing"/>): memory holds one page, whatever the directory's size.
    /// </summary>
    public List<SnapshotEntry> ChildrenPage(string directory, string? after, int limit) => Guard(() =>
    {
        var list = new List<SnapshotEntry>();
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"SELECT {MetadataSql.EntryColumns} FROM files WHERE {ParentOf} = $parent AND path > $after ORDER BY path LIMIT $limit;";
        cmd.Parameters.AddWithValue("$parent", directory.Length == 0 ? string.Empty : directory + "/");
        cmd.Parameters.AddWithValue("$after", after ?? string.Empty);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(ReadEntry(r));
        }

        return list;
    });

    /// <summary>How many entries are hard links of <paramref name="target"/> (its link count is one more).</summary>
    public long HardLinksTo(string target) => Guard(() =>
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM files WHERE hardlink_to = $t;";
        cmd.Parameters.AddWithValue("$t", target);
        return (long)cmd.ExecuteScalar()!;
    });
}
