using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Index;

/// <summary>
/// The index's one read-write SQLite connection, shared by its parts, with the lock every write takes and
/// the helpers they use: attach-copy-detach in one transaction, and read-only connections of their own.
/// </summary>
internal sealed class IndexConnection : IDisposable
{
    public IndexConnection(string path, SqliteConnection db)
    {
        Path = path;
        Db = db;
    }

    /// <summary>Full path of the index file.</summary>
    public string Path { get; }

    public SqliteConnection Db { get; }

    /// <summary>Held by every write (and by reads that must not interleave with one) on <see cref="Db"/>.</summary>
    public object WriteLock { get; } = new();

    /// <summary>
    /// Attaches each (alias, file) to the index connection, runs <paramref name="work"/> in one transaction on
    /// the index, commits, and detaches them again whatever happens. Callers hold <see cref="WriteLock"/>.
    /// </summary>
    public T InAttachedTransaction<T>(IReadOnlyList<(string Alias, string Path)> databases, Func<SqliteTransaction, T> work)
    {
        using (var attach = Db.CreateCommand())
        {
            for (var i = 0; i < databases.Count; i++)
            {
                attach.CommandText += $"ATTACH DATABASE $p{i} AS {databases[i].Alias};";
                attach.Parameters.AddWithValue($"$p{i}", databases[i].Path);
            }

            attach.ExecuteNonQuery();
        }

        try
        {
            using var tx = Db.BeginTransaction();
            var result = work(tx);
            tx.Commit();
            return result;
        }
        finally
        {
            Exec(Db, string.Concat(databases.Select(d => $"DETACH DATABASE {d.Alias};")));
        }
    }

    /// <summary>A read-only connection of its own to the index file (WAL mode: it never blocks the run's writes).</summary>
    public SqliteConnection OpenReadOnly()
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            ForeignKeys = false,
        }.ToString());
        db.Open();
        return db;
    }

    public static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => Db.Dispose();
}
