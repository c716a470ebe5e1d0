using Microsoft.Data.Sqlite;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Index;

/// <summary>
/// The host's local SQLite cache (WAL mode) of what it has stored. It owns the file and its one read-write
/// connection (opening, integrity check, schema, the write lock, closing) and hands out one part per concern:
/// <see cref="Chunks"/> (dedup cache), <see cref="Files"/> (fingerprints of files last backed up),
/// <see cref="DirtyPaths"/> (the daemon's watcher queue) and <see cref="Walks"/> (each snapshot's last walk).
/// It is never the truth: it is reconciled with the store's blob listing before each snapshot, and a damaged
/// file is moved aside and rebuilt.
/// </summary>
public sealed class LocalIndex : IDisposable
{
    private readonly IndexConnection _connection;

    private LocalIndex(IndexConnection connection)
    {
        _connection = connection;
        Chunks = new ChunkCache(connection);
        Files = new FileFingerprints(connection);
        DirtyPaths = new DirtyPathQueue(connection);
        Walks = new WalkRecords(connection);
    }

    public string Path => _connection.Path;

    /// <summary>Blobs and chunk locations known to be stored.</summary>
    public ChunkCache Chunks { get; }

    /// <summary>Per source path, the stat fingerprint and chunk list last backed up.</summary>
    public FileFingerprints Files { get; }

    /// <summary>Paths the daemon's file watcher saw change since the last successful run.</summary>
    public DirtyPathQueue DirtyPaths { get; }

    /// <summary>Each snapshot's last recorded walk, for the daemon's incremental walk.</summary>
    public WalkRecords Walks { get; }

    /// <summary>
    /// Opens (creating if needed) the index at <paramref name="path"/>. A file that is damaged (SQLite reports
    /// SQLITE_CORRUPT or SQLITE_NOTADB, or the integrity check fails) or of an unknown schema is renamed to
    /// <c>&lt;path&gt;.corrupt-&lt;time&gt;</c>, <paramref name="warn"/> is told, and a new empty index is created
    /// (the next snapshot then re-uploads what it needs). Any other failure (busy, read-only, disk full, cannot
    /// open) is a <see cref="VaultikException"/> naming the cause, and the index is left as it is. An index of an
    /// older schema is upgraded in place, and <paramref name="warn"/> is told once.
    /// </summary>
    public static LocalIndex Open(string path, Action<string> warn)
    {
        var full = System.IO.Path.GetFullPath(path);
        PrivateFiles.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        try
        {
            return OpenChecked(full, warn);
        }
        catch (SqliteException ex) when (!IsCorruption(ex))
        {
            throw new VaultikException($"cannot open index {full}: {Cause(ex)}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VaultikException($"cannot open index {full}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is SqliteException or UnusableIndexException)
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
            return OpenChecked(full, warn);
        }
    }

    private static LocalIndex OpenChecked(string full, Action<string> warn)
    {
        // Created 0600 before SQLite opens it; its -wal and -shm files then get the same mode.
        PrivateFiles.EnsureFile(full);
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
            IndexConnection.Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;");
            using (var check = db.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check;";
                var result = check.ExecuteScalar() as string;
                if (result != "ok")
                {
                    throw new UnusableIndexException($"integrity check failed: {result}");
                }
            }

            IndexSchema.Apply(db, message => warn($"index {full}: {message}"));
            return new LocalIndex(new IndexConnection(full, db));
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Only these mean the file itself is damaged (SQLITE_CORRUPT 11, SQLITE_NOTADB 26): worth a full re-upload.</summary>
    private static bool IsCorruption(SqliteException ex) => ex.SqliteErrorCode is 11 or 26;

    /// <summary>The cause of a failure that is not damage, in words, with SQLite's own message.</summary>
    internal static string Cause(SqliteException ex)
    {
        var message = ex.Message.Split('\n')[0];
        return ex.SqliteErrorCode switch
        {
            5 or 6 => $"it is busy (another process holds a lock on it: {message})",
            8 => $"it cannot be written ({message})",
            13 => $"the disk is full ({message})",
            14 => $"cannot open the file or create its -wal/-shm files beside it ({message})",
            10 => $"an I/O error ({message})",
            _ => message,
        };
    }

    public void Dispose()
    {
        Files.EndLookups();
        _connection.Dispose();
    }
}
