namespace Vaultik.Core.Metadata;

/// <summary>The listing query of <see cref="MetadataReader"/> behind <c>ls</c> and <c>dump</c>: a directory's entries a page at a time.</summary>
public sealed partial class MetadataReader
{
    /// <summary>
    /// Up to <paramref name="limit"/> entries below <paramref name="directory"/> (<c>""</c>: the whole snapshot), in
    /// path order (ties of a hostile database by id), after the entry (<paramref name="afterPath"/>,
    /// <paramref name="afterId"/>) (null: from the start); only its direct children unless
    /// <paramref name="recursive"/>. A range scan of the unique path index: '/' sorts just before '0', so the
    /// paths under <c>d</c> are those from <c>d/</c> up to (not including) <c>d0</c>. Memory holds one page.
    /// </summary>
    public List<SnapshotEntry> ReadChildrenPage(string directory, bool recursive, string? afterPath, long afterId, int limit) => Guard(() =>
    {
        var list = new List<SnapshotEntry>();
        using var cmd = _db.CreateCommand();
        var where = new List<string> { "typeof(path) = 'text'" };
        var prefix = directory.Length > 0 ? directory + "/" : string.Empty;
        if (directory.Length > 0)
        {
            // After the first page the keyset bound below is the lower bound (a second one could make SQLite
            // scan from the directory's start on every page).
            where.Add(afterPath is null ? "path >= $lo AND path < $hi" : "path < $hi");
            cmd.Parameters.AddWithValue("$lo", prefix);
            cmd.Parameters.AddWithValue("$hi", directory + "0");
        }

        if (!recursive)
        {
            // length() and substr() both count characters in SQLite (C#'s Length counts UTF-16 units).
            where.Add("instr(substr(path, length($prefix) + 1), '/') = 0");
            cmd.Parameters.AddWithValue("$prefix", prefix);
        }

        if (afterPath is not null)
        {
            where.Add("(path, id) > ($after, $afterId)");
            cmd.Parameters.AddWithValue("$after", afterPath);
            cmd.Parameters.AddWithValue("$afterId", afterId);
        }

        cmd.CommandText = $"SELECT {MetadataSql.EntryColumns} FROM files WHERE {string.Join(" AND ", where)} ORDER BY path, id LIMIT $limit;";
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(ReadEntry(r));
        }

        return list;
    });
}
