namespace Vaultik.Core.Index;

/// <summary>
/// Each snapshot's last recorded walk (tables <c>walk_names</c>: name, id and signature; <c>walks</c>: one row
/// per entry; <c>walk_dirs</c>: each recorded directory's full path). Fed after a recorded or incremental
/// snapshot is stored; read by the next incremental walk, which takes the directories the daemon saw no
/// change in from it.
/// </summary>
public sealed class WalkRecords
{
    private readonly IndexConnection _connection;

    internal WalkRecords(IndexConnection connection) => _connection = connection;

    /// <summary>
    /// Replaces snapshot <paramref name="name"/>'s recorded walk with the one staged in tables <c>_walk</c> and
    /// <c>_walk_dirs</c> of <paramref name="walkDbPath"/>, tagged with <paramref name="signature"/> (its roots and excludes).
    /// </summary>
    public void Import(string name, string signature, string walkDbPath)
    {
        lock (_connection.WriteLock)
        {
            _connection.InAttachedTransaction([("w", walkDbPath)], tx =>
            {
                using var copy = _connection.Db.CreateCommand();
                copy.Transaction = tx;
                copy.CommandText = """
                    INSERT INTO walk_names (name, signature) VALUES ($n, $s) ON CONFLICT (name) DO UPDATE SET signature = excluded.signature;
                    DELETE FROM walks WHERE walk = (SELECT id FROM walk_names WHERE name = $n);
                    DELETE FROM walk_dirs WHERE walk = (SELECT id FROM walk_names WHERE name = $n);
                    INSERT INTO walks (walk, seq, span, name, type, mode, uid, gid, size, mtime_ns, ctime_delta, inode, device, nlink, link_target)
                      SELECT (SELECT id FROM walk_names WHERE name = $n), seq, span, name, type, mode, uid, gid, size, mtime_ns, ctime_delta,
                        inode, device, nlink, link_target FROM w._walk ORDER BY seq;
                    INSERT INTO walk_dirs (walk, path, seq) SELECT (SELECT id FROM walk_names WHERE name = $n), path, seq FROM w._walk_dirs ORDER BY path;
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
    public PreviousWalk? OpenPrevious(string name, string signature)
    {
        long walk;
        lock (_connection.WriteLock)
        {
            using var select = _connection.Db.CreateCommand();
            select.CommandText = "SELECT id FROM walk_names WHERE name = $n AND signature = $s;";
            select.Parameters.AddWithValue("$n", name);
            select.Parameters.AddWithValue("$s", signature);
            if (select.ExecuteScalar() is not long id)
            {
                return null;
            }

            walk = id;
        }

        return new PreviousWalk(_connection.OpenReadOnly(), walk);
    }
}
