using Microsoft.Data.Sqlite;
using Vaultik.Core.Util;

namespace Vaultik.Core.Index;

/// <summary>
/// Per source path, the stat fingerprint (size, mtime, ctime, inode, device) and chunk list last backed up
/// (table <c>files</c>), so an unchanged file is not read again. Fed from a stored snapshot's side database;
/// read by the source reader, one lookup per file.
/// </summary>
public sealed class FileFingerprints
{
    private readonly IndexConnection _connection;
    private readonly object _lookupLock = new();
    private SqliteConnection? _lookup;
    private FastStatement? _findFile;

    internal FileFingerprints(IndexConnection connection) => _connection = connection;

    /// <summary>
    /// The last backed-up state of a source path, or null. One indexed lookup per file, on a separate read
    /// connection that keeps one read transaction open until <see cref="EndLookups"/>: without it every
    /// lookup would be its own transaction, whose WAL read locks cost more than the lookup itself.
    /// </summary>
    public IndexedFile? Find(string path)
    {
        lock (_lookupLock)
        {
            if (_findFile is null)
            {
                _lookup = _connection.OpenReadOnly();
                IndexConnection.Exec(_lookup, "PRAGMA busy_timeout=10000; BEGIN;");
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

    /// <summary>Ends the read transaction <see cref="Find"/> holds, so later lookups see later imports.</summary>
    public void EndLookups()
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
    public void Import(string sideDbPath)
    {
        lock (_connection.WriteLock)
        {
            _connection.InAttachedTransaction([("side", sideDbPath)], tx =>
            {
                using var copy = _connection.Db.CreateCommand();
                copy.Transaction = tx;
                copy.CommandText = "INSERT OR REPLACE INTO files (path, size, mtime_ns, ctime_ns, inode, device, chunks) SELECT path, size, mtime_ns, ctime_ns, inode, device, chunks FROM side._stat;";
                return copy.ExecuteNonQuery();
            });
        }
    }
}
