using Microsoft.Data.Sqlite;
using Vaultik.Core.Source;
using Vaultik.Core.Util;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Builds a snapshot's metadata database in a local temporary file while the snapshot runs, one row per
/// entry, in batched transactions. Beside it a side database stages what only this host needs (the stat
/// fingerprints for the index, and the set of referenced chunk hashes); the side database is never uploaded.
/// </summary>
public sealed class MetadataDbWriter : IDisposable
{
    private const int BatchSize = 4000;
    private readonly SqliteConnection _db;
    private readonly FastStatement _insertFile;
    private readonly FastStatement _insertChunk;
    private readonly Dictionary<Hash256, long> _refs = [];
    private readonly FastStatement _insertStat;
    private readonly FastStatement _insertXattr;
    private SqliteTransaction _tx;
    private int _pending;
    private long _nextId = 1;
    private bool _closed;

    public MetadataDbWriter(string directory)
    {
        PrivateFiles.CreateDirectory(directory);
        DbPath = Path.Combine(directory, "snapshot.db");
        SidePath = Path.Combine(directory, "side.db");
        File.Delete(DbPath);
        File.Delete(SidePath);
        PrivateFiles.EnsureFile(DbPath);
        PrivateFiles.EnsureFile(SidePath);
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
            CREATE TABLE side._refs (hash BLOB PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
            """);
        _tx = _db.BeginTransaction();
        _insertFile = new FastStatement(_db, "INSERT INTO files (id, path, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);");
        _insertChunk = new FastStatement(_db, "INSERT INTO file_chunks (file_id, seq, chunk_id) VALUES (?1, ?2, ?3);");
        _insertXattr = new FastStatement(_db, "INSERT INTO xattrs (file_id, name, value) VALUES (?1, ?2, ?3);");
        _insertStat = new FastStatement(_db, "INSERT OR REPLACE INTO side._stat (path, size, mtime_ns, ctime_ns, inode, device, chunks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);");
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

    /// <summary>
    /// Adds one entry. For a regular file <paramref name="chunks"/> is its ordered chunk list; when the file is
    /// <paramref name="unchanged"/> since the index recorded it, its fingerprint is not staged again; a file
    /// without a <paramref name="fingerprint"/> (a stream) never enters the index.
    /// </summary>
    public void Add(SourceEntry entry, IReadOnlyList<Hash256>? chunks, string? hardlinkTo = null, bool unchanged = false, bool fingerprint = true)
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
            EntryType.Symlink => Platform.RawName.ByteCount(entry.LinkTarget ?? string.Empty),
            _ => 0L,
        };
        _insertFile.Bind(1, id).Bind(2, entry.Path).Bind(3, type).Bind(4, entry.Mode).Bind(5, entry.Uid).Bind(6, entry.Gid)
            .Bind(7, size).Bind(8, entry.MtimeNs).Bind(9, entry.LinkTarget).Bind(10, hardlinkTo).Execute();
        foreach (var attribute in entry.Xattrs)
        {
            _insertXattr.Bind(1, id).BindBlob(2, attribute.Name).BindBlob(3, attribute.Value).Execute();
            _pending++;
        }

        FileCount++;
        if (entry.Type == EntryType.File)
        {
            TotalSize += entry.Size;
        }

        if (chunks is not null && hardlinkTo is null)
        {
            for (var seq = 0; seq < chunks.Count; seq++)
            {
                // Chunks are numbered in order of first reference; the chunks table gets the same ids.
                if (!_refs.TryGetValue(chunks[seq], out var chunkId))
                {
                    chunkId = _refs.Count + 1;
                    _refs.Add(chunks[seq], chunkId);
                }

                _insertChunk.Bind(1, id).Bind(2, seq).Bind(3, chunkId).Execute();
            }

            if (!unchanged && fingerprint)
            {
                _insertStat.Bind(1, entry.Path).Bind(2, entry.Size).Bind(3, entry.MtimeNs).Bind(4, entry.CtimeNs)
                    .Bind(5, unchecked((long)entry.Inode)).Bind(6, unchecked((long)entry.Device)).BindBlob(7, Index.IndexedFile.PackChunks(chunks)).Execute();
            }

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
        WriteRefs();
        _tx.Commit();
        _tx.Dispose();
        DisposeStatements();
        Exec("DETACH DATABASE side;");
        _db.Close();
    }

    private void Commit()
    {
        _tx.Commit();
        _tx.Dispose();
        _tx = _db.BeginTransaction();
        _pending = 0;
    }

    /// <summary>
    /// Stages the chunks the snapshot references with their ids (kept in memory while it runs: at most the
    /// store's known chunk set, which the run holds anyway), in hash order so the inserts append to the B-tree.
    /// </summary>
    private void WriteRefs()
    {
        var sorted = _refs.Keys.ToArray();
        Array.Sort(sorted);
        using var insert = new FastStatement(_db, "INSERT INTO side._refs (hash, id) VALUES (?1, ?2);");
        Span<byte> raw = stackalloc byte[Hash256.Size];
        foreach (var hash in sorted)
        {
            hash.WriteTo(raw);
            insert.BindBlob(1, raw).Bind(2, _refs[hash]).Execute();
        }

        _refs.Clear();
    }

    private void DisposeStatements()
    {
        foreach (var statement in new[] { _insertFile, _insertChunk, _insertStat, _insertXattr })
        {
            statement.Dispose();
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
        if (!_closed)
        {
            _tx.Dispose();
            DisposeStatements();
        }

        _db.Dispose();
    }
}
