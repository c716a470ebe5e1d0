using Microsoft.Data.Sqlite;
using Vaultik.Core.Util;

namespace Vaultik.Core.Index;

public sealed partial class LocalIndex
{
    private readonly object _lookupLock = new();
    private SqliteConnection? _lookup;
    private FastStatement? _findFile;

    /// <summary>
    /// The last backed-up state of a source path, or null. One indexed lookup per file, on a separate read
    /// connection that keeps one read transaction open until <see cref="EndFileLookups"/>: without it every
    /// lookup would be its own transaction, whose WAL read locks cost more than the lookup itself.
    /// </summary>
    public IndexedFile? FindFile(string path)
    {
        lock (_lookupLock)
        {
            if (_findFile is null)
            {
                _lookup = OpenReadOnly(Path);
                Exec(_lookup, "PRAGMA busy_timeout=10000; BEGIN;");
                _findFile = new FastStatement(_lookup, "SELECT size, mtime_ns, ctime_ns, inode, device, chunks FROM files WHERE path = ?1;");
            }

            _findFile.Bind(1, path);
            try
            {
                if (!_findFile.Step())
                {
                    return null;
                }

                return new IndexedFile(
                    _findFile.Int64(0), _findFile.Int64(1), _findFile.Int64(2),
                    unchecked((ulong)_findFile.Int64(3)), unchecked((ulong)_findFile.Int64(4)),
                    IndexedFile.UnpackChunks(_findFile.Blob(5)));
            }
            finally
            {
                _findFile.Reset();
            }
        }
    }

    /// <summary>Ends the read transaction <see cref="FindFile"/> holds, so later lookups see later imports.</summary>
    public void EndFileLookups()
    {
        lock (_lookupLock)
        {
            _findFile?.Dispose();
            _findFile = null;
            _lookup?.Dispose();
            _lookup = null;
        }
    }

    /// <summary>
    /// Copies the source-file fingerprints staged beside a snapshot's metadata (table <c>_stat</c> of the
    /// side database) into the index, in one transaction. Called after the snapshot's manifest is stored.
    /// </summary>
    public void ImportFileStates(string sideDbPath)
    {
        lock (_writeLock)
        {
            InAttachedTransaction([("side", sideDbPath)], tx =>
            {
                using var copy = _db.CreateCommand();
                copy.Transaction = tx;
                copy.CommandText = "INSERT OR REPLACE INTO files (path, size, mtime_ns, ctime_ns, inode, device, chunks) SELECT path, size, mtime_ns, ctime_ns, inode, device, chunks FROM side._stat;";
                return copy.ExecuteNonQuery();
            });
        }
    }

    /// <summary>
    /// Fills a snapshot database's <c>chunks</c> and <c>blobs</c> tables with the stored locations of every chunk
    /// listed in the side database's <c>_refs</c> table; returns how many referenced chunks had no location.
    /// </summary>
    internal long ExportChunkLocations(string metadataDbPath, string sideDbPath)
    {
        lock (_writeLock)
        {
            return InAttachedTransaction([("snap", metadataDbPath), ("side", sideDbPath)], tx =>
            {
                using var copy = _db.CreateCommand();
                copy.Transaction = tx;
                copy.CommandText = """
                    INSERT INTO snap.blobs (hash, size)
                      SELECT lower(hex(b.hash)), b.size FROM blobs b
                      WHERE b.hash IN (SELECT DISTINCT c.blob_hash FROM side._refs r JOIN chunks c ON c.hash = r.hash);
                    INSERT INTO snap.chunks (id, hash, blob_hash, frame_offset, frame_length, plain_length)
                      SELECT r.id, lower(hex(c.hash)), lower(hex(c.blob_hash)), c.frame_offset, c.frame_length, c.plain_length
                      FROM side._refs r JOIN chunks c ON c.hash = r.hash ORDER BY r.id;
                    """;
                copy.ExecuteNonQuery();
                using var count = _db.CreateCommand();
                count.Transaction = tx;
                count.CommandText = "SELECT (SELECT count(*) FROM side._refs) - (SELECT count(*) FROM snap.chunks);";
                return (long)count.ExecuteScalar()!;
            });
        }
    }
}
