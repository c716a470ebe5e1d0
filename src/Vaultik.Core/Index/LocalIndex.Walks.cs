using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Index;

public sealed partial class LocalIndex
{
    /// <summary>
    /// Records absolute paths the file watcher saw change. A path marked again gets a new, higher id, so a run
    /// that started before the new change does not forget it (<see cref="RemoveDirtyPaths"/>).
    /// </summary>
    public void AddDirtyPaths(IReadOnlyCollection<string> paths)
    {
        if (paths.Count == 0)
        {
            return;
        }

        lock (_writeLock)
        {
            using var tx = _db.BeginTransaction();
            using var insert = _db.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT OR REPLACE INTO dirty_paths (path) VALUES ($p);";
            var parameter = insert.Parameters.Add("$p", SqliteType.Text);
            foreach (var path in paths)
            {
                parameter.Value = path;
                insert.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    /// <summary>
    /// The dirty paths recorded so far; <see cref="DirtyPaths.Paths"/> is null when there are more than
    /// <paramref name="limit"/> (a full walk is then the cheaper way to cover them).
    /// </summary>
    public DirtyPaths LoadDirtyPaths(int limit)
    {
        lock (_writeLock)
        {
            using var select = _db.CreateCommand();
            select.CommandText = "SELECT coalesce(max(id), 0), count(*) FROM dirty_paths;";
            long throughId;
            using (var reader = select.ExecuteReader())
            {
                reader.Read();
                throughId = reader.GetInt64(0);
                if (reader.GetInt64(1) > limit)
                {
                    return new DirtyPaths(throughId, null);
                }
            }

            select.CommandText = "SELECT path FROM dirty_paths WHERE id <= $id;";
            select.Parameters.AddWithValue("$id", throughId);
            using var rows = select.ExecuteReader();
            var paths = new SortedSet<string>(StringComparer.Ordinal);
            while (rows.Read())
            {
                paths.Add(rows.GetString(0));
            }

            return new DirtyPaths(throughId, paths);
        }
    }

    /// <summary>Whether any dirty path is recorded.</summary>
    public bool HasDirtyPaths()
    {
        lock (_writeLock)
        {
            using var select = _db.CreateCommand();
            select.CommandText = "SELECT EXISTS (SELECT 1 FROM dirty_paths);";
            return (long)select.ExecuteScalar()! == 1;
        }
    }

    /// <summary>Forgets the dirty paths a successful run covered (ids up to <paramref name="throughId"/>); later marks stay.</summary>
    public void RemoveDirtyPaths(long throughId)
    {
        lock (_writeLock)
        {
            using var delete = _db.CreateCommand();
            delete.CommandText = "DELETE FROM dirty_paths WHERE id <= $id;";
            delete.Parameters.AddWithValue("$id", throughId);
            delete.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Replaces snapshot <paramref name="name"/>'s recorded walk with the one staged in table <c>_walk</c> of
    /// <paramref name="walkDbPath"/>, tagged with <paramref name="signature"/> (its roots and excludes).
    /// </summary>
    public void ImportWalk(string name, string signature, string walkDbPath)
    {
        lock (_writeLock)
        {
            InAttachedTransaction([("w", walkDbPath)], tx =>
            {
                using var copy = _db.CreateCommand();
                copy.Transaction = tx;
                copy.CommandText = """
                    DELETE FROM walks WHERE name = $n;
                    INSERT INTO walks (name, seq, end_seq, path, type, mode, uid, gid, size, mtime_ns, ctime_ns, inode, device, nlink, link_target)
                      SELECT $n, seq, end_seq, path, type, mode, uid, gid, size, mtime_ns, ctime_ns, inode, device, nlink, link_target FROM w._walk;
                    INSERT OR REPLACE INTO meta (key, value) VALUES ('walk:' || $n, $s);
                    """;
                copy.Parameters.AddWithValue("$n", name);
                copy.Parameters.AddWithValue("$s", signature);
                return copy.ExecuteNonQuery();
            });
        }
    }

    /// <summary>
    /// Opens snapshot <paramref name="name"/>'s recorded walk for reading on its own connection, or returns
    /// null when none is recorded or it was made with other roots or excludes.
    /// </summary>
    public PreviousWalk? OpenPreviousWalk(string name, string signature)
    {
        lock (_writeLock)
        {
            using var select = _db.CreateCommand();
            select.CommandText = "SELECT value FROM meta WHERE key = 'walk:' || $n;";
            select.Parameters.AddWithValue("$n", name);
            if (select.ExecuteScalar() as string != signature)
            {
                return null;
            }
        }

        return new PreviousWalk(Path, name);
    }
}
