using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Index;

/// <summary>
/// The host's local SQLite cache (WAL mode) of what it has stored: blobs, chunk locations, and per source
/// path the stat fingerprint and chunk list last backed up; for the daemon also the paths its file watcher
/// saw change and each snapshot's last walk. It is never the truth: it is reconciled with
/// the store's blob listing before each snapshot, and a damaged file is moved aside and rebuilt.
/// </summary>
public sealed partial class LocalIndex : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly object _writeLock = new();
    private readonly SqliteConnection _db;

    private LocalIndex(string path, SqliteConnection db)
    {
        Path = path;
        _db = db;
    }

    public string Path { get; }

    /// <summary>
    /// Opens (creating if needed) the index at <paramref name="path"/>. A file that is not a healthy SQLite
    /// database is renamed to <c>&lt;path&gt;.corrupt-&lt;time&gt;</c>, <paramref name="warn"/> is told, and a new
    /// empty index is created (the next snapshot then re-uploads what it needs).
    /// </summary>
    public static LocalIndex Open(string path, Action<string> warn)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        try
        {
            return OpenChecked(full);
        }
        catch (SqliteException ex)
        {
            var aside = $"{full}.corrupt-{DateTime.UtcNow:yyyyMMddHHmmss}";
            SqliteConnection.ClearAllPools();
            File.Move(full, aside);
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                if (File.Exists(full + suffix))
                {
                    File.Move(full + suffix, aside + suffix);
                }
            }

            warn($"index {full} is damaged ({ex.Message.Split('\n')[0]}); moved it to {aside} and starting a new one (everything will be re-uploaded once)");
            return OpenChecked(full);
        }
    }

    private static LocalIndex OpenChecked(string full)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = false,
        }.ToString());
        try
        {
            db.Open();
            Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;");
            using (var check = db.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check;";
                var result = check.ExecuteScalar() as string;
                if (result != "ok")
                {
                    throw new SqliteException($"integrity check failed: {result}", 11);
                }
            }

            Exec(db, """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS blobs (hash BLOB PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS chunks (
                    hash BLOB PRIMARY KEY, blob_hash BLOB NOT NULL, frame_offset INTEGER NOT NULL,
                    frame_length INTEGER NOT NULL, plain_length INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS chunks_by_blob ON chunks (blob_hash);
                CREATE TABLE IF NOT EXISTS files (
                    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
                    inode INTEGER NOT NULL, device INTEGER NOT NULL, chunks BLOB NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS dirty_paths (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE);
                CREATE TABLE IF NOT EXISTS walks (
                    name TEXT NOT NULL, seq INTEGER NOT NULL, end_seq INTEGER NOT NULL, path TEXT NOT NULL, type INTEGER NOT NULL,
                    mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, size INTEGER NOT NULL,
                    mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, device INTEGER NOT NULL,
                    nlink INTEGER NOT NULL, link_target TEXT, PRIMARY KEY (name, seq)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS walks_by_path ON walks (name, path);
                """);
            using (var version = db.CreateCommand())
            {
                version.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', $v); SELECT value FROM meta WHERE key = 'schema_version';";
                version.Parameters.AddWithValue("$v", SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (version.ExecuteScalar() as string != SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    throw new SqliteException("unsupported index schema version", 1);
                }
            }

            return new LocalIndex(full, db);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Attaches each (alias, file) to the index connection, runs <paramref name="work"/> in one transaction on
    /// the index, commits, and detaches them again whatever happens. Callers hold <c>_writeLock</c>.
    /// </summary>
    private T InAttachedTransaction<T>(IReadOnlyList<(string Alias, string Path)> databases, Func<SqliteTransaction, T> work)
    {
        using (var attach = _db.CreateCommand())
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
            using var tx = _db.BeginTransaction();
            var result = work(tx);
            tx.Commit();
            return result;
        }
        finally
        {
            Exec(_db, string.Concat(databases.Select(d => $"DETACH DATABASE {d.Alias};")));
        }
    }

    /// <summary>A read-only connection of its own to the index file (WAL mode: it never blocks the run's writes).</summary>
    internal static SqliteConnection OpenReadOnly(string indexPath)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = indexPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            ForeignKeys = false,
        }.ToString());
        db.Open();
        return db;
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        EndFileLookups();
        _db.Dispose();
    }
}
