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

    /// <summary><paramref name="path"/> (stored form, no leading '/'): null or empty for everything; otherwise that entry and, for a directory, its subtree.</summary>
    public static IEnumerable<SnapshotEntry> Under(MetadataReader reader, string? path)
    {
        var prefix = string.IsNullOrEmpty(path) ? null : path;
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

    /// <summary>
    /// The paths the snapshot was made of (its <c>paths</c> info, stored form), without any that lies under another;
    /// empty when it records none.
    /// </summary>
    public static List<string> Roots(MetadataReader reader)
    {
        var text = reader.Query(db =>
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT value FROM snapshot WHERE key = 'paths';";
            return cmd.ExecuteScalar() as string;
        });
        var roots = new List<string>();
        if (text is null)
        {
            return roots;
        }

        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.GetString() is { } p && p.Trim('/') is { Length: > 0 } stored)
                {
                    roots.Add(stored);
                }
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new CorruptDataException($"cannot read snapshot metadata: its paths info is not a list of paths ({ex.Message})", ex);
        }

        roots.Sort(PathOrder.Instance);
        return roots.Where(r => !roots.Any(o => o != r && r.StartsWith(o + "/", StringComparison.Ordinal))).Distinct(StringComparer.Ordinal).ToList();
    }

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
