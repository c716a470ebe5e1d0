namespace Vaultik.Core.Index;

/// <summary>
/// Each snapshot's last recorded walk (table <c>walks</c>, signature in <c>meta</c> as <c>walk:&lt;name&gt;</c>).
/// Fed after a recorded or incremental snapshot is stored; read by the next incremental walk, which takes
/// the directories the daemon saw no change in from it.
/// </summary>
public sealed class WalkRecords
{
    private readonly IndexConnection _connection;

    internal WalkRecords(IndexConnection connection) => _connection = connection;

    /// <summary>
    /// Replaces snapshot <paramref name="name"/>'s recorded walk with the one staged in table <c>_walk</c> of
    /// <paramref name="walkDbPath"/>, tagged with <paramref name="signature"/> (its roots and excludes).
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
    public PreviousWalk? OpenPrevious(string name, string signature)
    {
        lock (_connection.WriteLock)
        {
            using var select = _connection.Db.CreateCommand();
            select.CommandText = "SELECT value FROM meta WHERE key = 'walk:' || $n;";
            select.Parameters.AddWithValue("$n", name);
            if (select.ExecuteScalar() as string != signature)
            {
                return null;
            }
        }

        return new PreviousWalk(_connection.OpenReadOnly(), name);
    }
}
