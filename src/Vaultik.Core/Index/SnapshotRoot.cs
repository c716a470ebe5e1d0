using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Index;

/// <summary>
/// One root of a snapshot as the index stores paths: relative (no leading '/'), so "/home/me" is "home/me"
/// and "/" is "". Knows which <c>dirs</c> and <c>files</c> rows lie under it: its own directory, every
/// directory below it (ordinally between "root/" and "root0"), and, when the root is a file, its own row.
/// </summary>
internal readonly record struct SnapshotRoot(string Path)
{
    public static SnapshotRoot Of(string absolute)
    {
        var full = System.IO.Path.GetFullPath(absolute);
        return new SnapshotRoot(full.TrimEnd('/').TrimStart('/'));
    }

    /// <summary>
    /// Deletes the file rows under this root whose path the attached snapshot database <c>snap</c> holds no
    /// file at, then the directories under it left without files; returns the file rows deleted.
    /// </summary>
    public int RemoveVanished(SqliteConnection db, SqliteTransaction tx)
    {
        var parent = Path.LastIndexOf('/') is var slash and >= 0 ? Path[..slash] : string.Empty;
        var name = Path[(Path.LastIndexOf('/') + 1)..];
        var dirs = Path.Length == 0
            ? "SELECT id FROM dirs"
            : "SELECT id FROM dirs WHERE path = $r OR (path >= $r || '/' AND path < $r || '0')";
        var fileRoot = Path.Length == 0 ? string.Empty : " OR (dir = (SELECT id FROM dirs WHERE path = $parent) AND name = $name)";
        using var delete = db.CreateCommand();
        delete.Transaction = tx;
        delete.CommandText = $"""
            DELETE FROM files WHERE (dir IN ({dirs}){fileRoot})
              AND NOT EXISTS (SELECT 1 FROM snap.files s WHERE s.type = 'file' AND s.path =
                (SELECT CASE WHEN d.path = '' THEN files.name ELSE d.path || '/' || files.name END FROM dirs d WHERE d.id = files.dir));
            """;
        delete.Parameters.AddWithValue("$r", Path);
        delete.Parameters.AddWithValue("$parent", parent);
        delete.Parameters.AddWithValue("$name", name);
        var removed = delete.ExecuteNonQuery();

        using var empty = db.CreateCommand();
        empty.Transaction = tx;
        empty.CommandText = $"DELETE FROM dirs WHERE (id IN ({dirs}) OR path = $parent) AND NOT EXISTS (SELECT 1 FROM files f WHERE f.dir = dirs.id);";
        empty.Parameters.AddWithValue("$r", Path);
        empty.Parameters.AddWithValue("$parent", parent);
        empty.ExecuteNonQuery();
        return removed;
    }
}
