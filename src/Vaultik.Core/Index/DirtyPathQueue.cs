using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Index;

/// <summary>
/// The daemon's queue of paths its file watcher saw change (table <c>dirty_paths</c>). Fed by the watcher;
/// a snapshot run reads a batch at its start and removes it only when every job succeeded.
/// </summary>
public sealed class DirtyPathQueue
{
    private readonly IndexConnection _connection;

    internal DirtyPathQueue(IndexConnection connection) => _connection = connection;

    private SqliteConnection Db => _connection.Db;

    /// <summary>
    /// Records absolute paths the file watcher saw change. A path marked again gets a new, higher id, so a run
    /// that started before the new change does not forget it (<see cref="Remove"/>).
    /// </summary>
    public void Add(IReadOnlyCollection<string> paths)
    {
        if (paths.Count == 0)
        {
            return;
        }

        lock (_connection.WriteLock)
        {
            using var tx = Db.BeginTransaction();
            using var insert = Db.CreateCommand();
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
    /// The dirty paths recorded so far; <see cref="DirtyPathBatch.Paths"/> is null when there are more than
    /// <paramref name="limit"/> (a full walk is then the cheaper way to cover them).
    /// </summary>
    public DirtyPathBatch Load(int limit)
    {
        lock (_connection.WriteLock)
        {
            using var select = Db.CreateCommand();
            select.CommandText = "SELECT coalesce(max(id), 0), count(*) FROM dirty_paths;";
            long throughId;
            using (var reader = select.ExecuteReader())
            {
                reader.Read();
                throughId = reader.GetInt64(0);
                if (reader.GetInt64(1) > limit)
                {
                    return new DirtyPathBatch(throughId, null);
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

            return new DirtyPathBatch(throughId, paths);
        }
    }

    /// <summary>Whether any dirty path is recorded.</summary>
    public bool Any()
    {
        lock (_connection.WriteLock)
        {
            using var select = Db.CreateCommand();
            select.CommandText = "SELECT EXISTS (SELECT 1 FROM dirty_paths);";
            return (long)select.ExecuteScalar()! == 1;
        }
    }

    /// <summary>Forgets the dirty paths a successful run covered (ids up to <paramref name="throughId"/>); later marks stay.</summary>
    public void Remove(long throughId)
    {
        lock (_connection.WriteLock)
        {
            using var delete = Db.CreateCommand();
            delete.CommandText = "DELETE FROM dirty_paths WHERE id <= $id;";
            delete.Parameters.AddWithValue("$id", throughId);
            delete.ExecuteNonQuery();
        }
    }
}
