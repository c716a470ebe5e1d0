using Microsoft.Data.Sqlite;
using Vaultik.Core.Source;

namespace Vaultik.Core.Snapshots;

/// <summary>
/// Builds a snapshot's metadata database in a local temporary file while the snapshot runs, one row per
/// entry, in batched transactions. Beside it a side database stages what only this host needs (the stat
/// fingerprints for the index, and the set of referenced chunk hashes); the side database is never uploaded.
/// </summary>
public sealed class MetadataDbWriter : IDisposable
{
    private const int BatchSize = 4000;
    private readonly SqliteConnection _db;
    private readonly SqliteCommand _insertFile;
    private readonly SqliteCommand _insertChunk;
    private readonly SqliteCommand _insertRef;
    private readonly SqliteCommand _insertStat;
    private SqliteTransaction _tx;
    private int _pending;
    private long _nextId = 1;
    private bool _closed;

    public MetadataDbWriter(string directory)
    {
        Directory.CreateDirectory(directory);
        DbPath = Path.Combine(directory, "snapshot.db");
        SidePath = Path.Combine(directory, "side.db");
        File.Delete(DbPath);
        File.Delete(SidePath);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false, ForeignKeys = false }.ToString());
        _db.Open();
        Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;");
        Exec(MetadataSchema.Create);
        using (var attach = _db.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $p AS side;";
            attach.Parameters.AddWithValue("$p", SidePath);
            attach.ExecuteNonQuery();
        }

        Exec("""
            PRAGMA side.journal_mode=OFF; PRAGMA side.synchronous=OFF;
            CREATE TABLE side._stat (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
                inode INTEGER NOT NULL, device INTEGER NOT NULL, chunks BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE side._refs (hash BLOB PRIMARY KEY) WITHOUT ROWID;
            """);
        _tx = _db.BeginTransaction();
        _insertFile = Prepare("INSERT INTO files (id, path, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to) VALUES ($id, $path, $type, $mode, $uid, $gid, $size, $mtime, $link, $hard);",
            "$id", "$path", "$type", "$mode", "$uid", "$gid", "$size", "$mtime", "$link", "$hard");
        _insertChunk = Prepare("INSERT INTO file_chunks (file_id, seq, chunk_hash) VALUES ($f, $s, $h);", "$f", "$s", "$h");
        _insertRef = Prepare("INSERT OR IGNORE INTO side._refs (hash) VALUES ($h);", "$h");
        _insertStat = Prepare("INSERT OR REPLACE INTO side._stat (path, size, mtime_ns, ctime_ns, inode, device, chunks) VALUES ($p, $s, $m, $c, $i, $d, $k);",
            "$p", "$s", "$m", "$c", "$i", "$d", "$k");
    }

    public string DbPath { get; }

    public string SidePath { get; }

    public long FileCount { get; private set; }

    public long TotalSize { get; private set; }

    public void SetInfo(string key, string value)
    {
        using var cmd = _db.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = "INSERT OR REPLACE INTO snapshot (key, value) VALUES ($k, $v);";
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Adds one entry. For a regular file <paramref name="chunks"/> is its ordered chunk list.</summary>
    public void Add(SourceEntry entry, IReadOnlyList<Hash256>? chunks, string? hardlinkTo = null)
    {
        var type = entry.Type switch
        {
            EntryType.File => MetadataSchema.TypeFile,
            EntryType.Directory => MetadataSchema.TypeDirectory,
            _ => MetadataSchema.TypeSymlink,
        };
        var id = _nextId++;
        var size = entry.Type switch
        {
            EntryType.File => entry.Size,
            EntryType.Symlink => System.Text.Encoding.UTF8.GetByteCount(entry.LinkTarget ?? string.Empty),
            _ => 0L,
        };
        Bind(_insertFile, id, entry.Path, type, entry.Mode, entry.Uid, entry.Gid, size, entry.MtimeNs,
            (object?)entry.LinkTarget ?? DBNull.Value, (object?)hardlinkTo ?? DBNull.Value);
        _insertFile.ExecuteNonQuery();
        FileCount++;
        if (entry.Type == EntryType.File)
        {
            TotalSize += entry.Size;
        }

        if (chunks is not null && hardlinkTo is null)
        {
            for (var seq = 0; seq < chunks.Count; seq++)
            {
                var hash = chunks[seq];
                Bind(_insertChunk, id, seq, hash.ToString());
                _insertChunk.ExecuteNonQuery();
                Bind(_insertRef, hash.ToArray());
                _insertRef.ExecuteNonQuery();
            }

            Bind(_insertStat, entry.Path, entry.Size, entry.MtimeNs, entry.CtimeNs,
                unchecked((long)entry.Inode), unchecked((long)entry.Device), Index.IndexedFile.PackChunks(chunks));
            _insertStat.ExecuteNonQuery();
            _pending += chunks.Count;
        }

        if (++_pending >= BatchSize)
        {
            Commit();
        }
    }

    /// <summary>Commits the last batch; the database files are complete after this.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _tx.Commit();
        _tx.Dispose();
        Exec("DETACH DATABASE side;");
        Exec("ANALYZE;");
        _db.Close();
    }

    private void Commit()
    {
        _tx.Commit();
        _tx.Dispose();
        _tx = _db.BeginTransaction();
        foreach (var cmd in new[] { _insertFile, _insertChunk, _insertRef, _insertStat })
        {
            cmd.Transaction = _tx;
        }

        _pending = 0;
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var cmd = _db.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = sql;
        foreach (var name in names)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        cmd.Prepare();
        return cmd;
    }

    private static void Bind(SqliteCommand cmd, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i];
        }
    }

    private void Exec(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var cmd in new[] { _insertFile, _insertChunk, _insertRef, _insertStat })
        {
            cmd.Dispose();
        }

        if (!_closed)
        {
            _tx.Dispose();
        }

        _db.Dispose();
    }
}
