using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Compares a downloaded metadata database's schema with the format's before anything else reads it: the five
/// tables (three for a format 3 root object) as plain tables with every expected column (none generated), indexes only on them, SQLite's own
/// internal tables; any other table, a view, a trigger or a virtual table refuses the whole snapshot.
/// </summary>
internal static class MetadataSchemaCheck
{
    private static readonly Dictionary<string, string[]> Expected = new(StringComparer.Ordinal)
    {
        ["snapshot"] = ["key", "value"],
        ["files"] = ["id", "path", "type", "mode", "uid", "gid", "size", "mtime_ns", "link_target", "hardlink_to"],
        ["file_chunks"] = ["file_id", "seq", "chunk_id"],
        ["chunks"] = ["id", "hash", "blob_hash", "frame_offset", "frame_length", "plain_length"],
        ["blobs"] = ["hash", "size"],
    };

    /// <summary>Tables a snapshot database may lack (format 2 has no extended attributes), checked like the others when present.</summary>
    private static readonly Dictionary<string, string[]> Optional = new(StringComparer.Ordinal)
    {
        ["xattrs"] = ["file_id", "name", "value"],
    };

    /// <summary>The tables of a format 3 root object (<see cref="RootDatabase"/>).</summary>
    private static readonly Dictionary<string, string[]> Root = new(StringComparer.Ordinal)
    {
        ["snapshot"] = ["key", "value"],
        ["stream_chunks"] = ["seq", "hash", "blob_hash", "frame_offset", "frame_length", "plain_length"],
        ["blobs"] = ["hash", "size"],
    };

    /// <summary>Null when the schema is the format's snapshot database (v2, or v3 as replayed), else what is wrong with it.</summary>
    public static string? Problem(SqliteConnection db) => Problem(db, Expected, Optional);

    /// <summary>Null when the schema is a format 3 or 4 root object's, else what is wrong with it.</summary>
    public static string? RootProblem(SqliteConnection db) => Problem(db, Root, []);

    private static string? Problem(SqliteConnection db, Dictionary<string, string[]> required, Dictionary<string, string[]> optional)
    {
        var expected = required.Concat(optional).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var tables = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = db.CreateCommand())
        {
            // A virtual table has no b-tree of its own (rootpage 0), however its CREATE statement is spelled.
            cmd.CommandText = "SELECT type, name, tbl_name, coalesce(rootpage, 0) FROM sqlite_schema;";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var (type, name, table, rootPage) = (r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3));
                var problem = type switch
                {
                    "table" when rootPage == 0 => $"unexpected virtual table {name}",
                    "table" when expected.ContainsKey(name) => null,
                    "table" when name is "sqlite_sequence" or "sqlite_stat1" or "sqlite_stat4" => null,
                    "table" => $"unexpected table {name}",
                    "index" when expected.ContainsKey(table) => null,
                    _ => $"unexpected {type} {name}",
                };
                if (problem is not null)
                {
                    return problem;
                }

                if (type == "table")
                {
                    tables.Add(name);
                }
            }
        }

        foreach (var (table, columns) in expected)
        {
            if (!tables.Contains(table))
            {
                if (optional.ContainsKey(table))
                {
                    continue;
                }

                return $"no table {table}";
            }

            var found = new Dictionary<string, long>(StringComparer.Ordinal);
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"SELECT name, hidden FROM pragma_table_xinfo('{table}');";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                found[r.GetString(0)] = r.GetInt64(1);
            }

            foreach (var column in columns)
            {
                if (!found.TryGetValue(column, out var hidden))
                {
                    return $"table {table} has no column {column}";
                }

                if (hidden != 0)
                {
                    return $"column {column} of table {table} is generated or hidden";
                }
            }
        }

        return null;
    }
}
