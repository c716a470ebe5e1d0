using Vaultik.Core.Metadata;
using Vaultik.Core.Search;

namespace Vaultik.Core.Diff;

/// <summary>
/// A snapshot's entries at and below one path (or all of them), in path order, read in pages over the path
/// index (memory holds one page); and a file's content as the SHA-256 of its chunk hash list, streamed by SQL.
/// </summary>
public static class SnapshotEntries
{
    private const int PageSize = 2000;

    /// <summary><paramref name="path"/>: null or <c>/</c> for everything; otherwise that entry and, for a directory, its subtree.</summary>
    public static IEnumerable<SnapshotEntry> Under(MetadataReader reader, string? path)
    {
        var prefix = path is null || path == "/" ? null : path.TrimEnd('/');
        if (prefix is not null && reader.FindEntry(prefix) is { } self)
        {
            yield return self;
        }

        // Below "/a": from "/a/" up to, not including, "/a0" ('0' follows '/').
        var low = prefix is null ? null : prefix + "/";
        var high = prefix is null ? null : prefix + "0";
        var after = low;
        var first = true;
        while (true)
        {
            var page = Page(reader, after, inclusive: first && low is not null, high);
            first = false;
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].Path;
        }
    }

    /// <summary>The top-level entries of a snapshot: those whose parent directory it does not hold (the backed-up roots), in path order.</summary>
    public static List<string> Roots(MetadataReader reader) => reader.Query(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT path FROM files f WHERE typeof(path) = 'text' AND NOT EXISTS (SELECT 1 FROM files p
              WHERE p.path = substr(f.path, 1, length(rtrim(f.path, replace(f.path, '/', ''))) - 1)) ORDER BY path;
            """;
        using var r = cmd.ExecuteReader();
        var roots = new List<string>();
        while (r.Read())
        {
            roots.Add(r.GetString(0));
        }

        return roots;
    });

    /// <summary>The SHA-256 of a file's chunk hashes in order (equal lists, equal content), computed while SQLite streams them.</summary>
    public static Hash256 ContentDigest(MetadataReader reader, long fileId) => reader.Query(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT coalesce(c.hash, '?') FROM file_chunks fc LEFT JOIN chunks c ON c.id = fc.chunk_id WHERE fc.file_id = $f ORDER BY fc.seq;";
        cmd.Parameters.AddWithValue("$f", fileId);
        using var r = cmd.ExecuteReader();
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        while (r.Read())
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(r.GetString(0) + "\n"));
        }

        return new Hash256(hash.GetHashAndReset());
    });

    private static List<SnapshotEntry> Page(MetadataReader reader, string? after, bool inclusive, string? high) => reader.Query(db =>
    {
        using var cmd = db.CreateCommand();
        var where = new List<string> { "typeof(path) = 'text'" };
        if (after is not null)
        {
            where.Add(inclusive ? "path >= $after" : "path > $after");
            cmd.Parameters.AddWithValue("$after", after);
        }

        if (high is not null)
        {
            where.Add("path < $high");
            cmd.Parameters.AddWithValue("$high", high);
        }

        cmd.CommandText = $"SELECT {MetadataSql.EntryColumns} FROM files WHERE {string.Join(" AND ", where)} ORDER BY path LIMIT {PageSize};";
        using var r = cmd.ExecuteReader();
        var page = new List<SnapshotEntry>();
        while (r.Read())
        {
            page.Add(MetadataReader.ReadEntry(r));
        }

        return page;
    });

    /// <summary>For <see cref="PathOrder"/> users: the order these streams come in.</summary>
    public static IComparer<string> Order => PathOrder.Instance;
}
