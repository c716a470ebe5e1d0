using Microsoft.Data.Sqlite;
using Vaultik.Core.Util;

namespace Vaultik.Core.Index;

/// <summary>
/// Per source file, the stat fingerprint (size, mtime, ctime, inode, device) and chunk list last backed up
/// (tables <c>dirs</c> and <c>files</c>: a file is its directory's id and its name; its chunks are ids of rows
/// in <c>chunks</c>), so an unchanged file is not read again. Fed from a stored snapshot's side database
/// (<see cref="Import"/>) and trimmed to what the snapshot's walk saw (<see cref="RemoveVanished"/>); read by
/// the source reader, one lookup per file.
/// </summary>
public sealed class FileFingerprints
{
    private readonly IndexConnection _connection;
    private readonly object _lookupLock = new();
    private SqliteConnection? _lookup;
    private FastStatement? _findDir;
    private FastStatement? _findFile;
    private FastStatement? _findChunk;
    private string? _lastDir;
    private long _lastDirId;
    private long _lastDirDevice;

    internal FileFingerprints(IndexConnection connection) => _connection = connection;

    /// <summary>
    /// The last backed-up state of a source path (relative, as in snapshot entries), or null. Prepared-statement
    /// lookups on a separate read connection that keeps one read transaction open until <see cref="EndLookups"/>:
    /// without it every lookup would be its own transaction, whose WAL read locks cost more than the lookup
    /// itself; the file is memory-mapped for them. The walk yields a directory's files together, so its id is looked up once for all of them.
    /// </summary>
    public IndexedFile? Find(string path)
    {
        lock (_lookupLock)
        {
            if (_findFile is null)
            {
                _lookup = _connection.OpenReadOnly();
                // Mapped: one pread system call per page visited cost more than the lookup's own work.
                IndexConnection.Exec(_lookup, "PRAGMA busy_timeout=10000; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-16384; BEGIN;");
                _findDir = new FastStatement(_lookup, "SELECT id, device FROM dirs WHERE path = ?1;");
                _findFile = new FastStatement(_lookup, "SELECT size, mtime_ns, ctime_delta, inode, device, chunks FROM files WHERE dir = ?1 AND name = ?2;");
                _findChunk = new FastStatement(_lookup, "SELECT hash FROM chunks WHERE id = ?1;");
                _lastDir = null;
            }

            var slash = path.LastIndexOf('/');
            var dir = slash < 0 ? ReadOnlySpan<char>.Empty : path.AsSpan(0, slash);
            if (_lastDir is null || !dir.SequenceEqual(_lastDir))
            {
                _lastDir = dir.ToString();
                (_lastDirId, _lastDirDevice) = FindDirectory(_findDir!, _lastDir);
            }

            return _lastDirId == 0 ? null : FindFile(_lastDirId, path.AsSpan(slash + 1));
        }
    }

    /// <summary>Ends the read transaction <see cref="Find"/> holds, so later lookups see later imports.</summary>
    public void EndLookups()
    {
        lock (_lookupLock)
        {
            foreach (var statement in new[] { _findDir, _findFile, _findChunk })
            {
                statement?.Dispose();
            }

            _findDir = _findFile = _findChunk = null;
            _lookup?.Dispose();
            _lookup = null;
        }
    }

    /// <summary>
    /// Copies the source-file fingerprints staged beside a snapshot's metadata (table <c>_stat</c> of the
    /// side database) into the index, in one transaction; returns how many were recorded. Called after the
    /// snapshot's manifest is stored.
    /// </summary>
    public int Import(string sideDbPath)
    {
        lock (_connection.WriteLock)
        {
            return _connection.InAttachedTransaction([("side", sideDbPath)], _ => new FingerprintImport(_connection.Db).Run());
        }
    }

    /// <summary>
    /// After a complete walk of <paramref name="roots"/> (absolute paths) stored as the snapshot whose metadata
    /// database is <paramref name="metadataDbPath"/>: forgets the files under those roots that the snapshot does
    /// not hold, and directories left without files. Rows under other roots (other snapshot names) stay.
    /// Returns how many file rows were removed.
    /// </summary>
    public int RemoveVanished(IEnumerable<string> roots, string metadataDbPath)
    {
        lock (_connection.WriteLock)
        {
            return _connection.InAttachedTransaction([("snap", metadataDbPath)], tx =>
            {
                var removed = 0;
                foreach (var root in roots.Select(SnapshotRoot.Of).Distinct())
                {
                    removed += root.RemoveVanished(_connection.Db, tx);
                }

                return removed;
            });
        }
    }

    private static (long Id, long Device) FindDirectory(FastStatement findDir, string dir)
    {
        findDir.Bind(1, dir);
        try
        {
            return findDir.Step() ? (findDir.Int64(0), findDir.Int64(1)) : (0, 0);
        }
        finally
        {
            findDir.Reset();
        }
    }

    private IndexedFile? FindFile(long dirId, ReadOnlySpan<char> name)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(name.Length);
        Span<byte> utf8 = max <= 1024 ? stackalloc byte[max] : new byte[max];
        var length = System.Text.Encoding.UTF8.GetBytes(name, utf8);
        _findFile!.Bind(1, dirId).BindUtf8(2, utf8[..length]);
        try
        {
            if (!_findFile.Step())
            {
                return null;
            }

            var mtime = _findFile.Int64(1);
            return new IndexedFile(
                _findFile.Int64(0), mtime, unchecked(mtime + _findFile.Int64(2)),
                unchecked((ulong)_findFile.Int64(3)), unchecked((ulong)(_findFile.Int64(4) ^ _lastDirDevice)),
                ResolveChunks(_findFile.Blob(5)));
        }
        finally
        {
            _findFile.Reset();
        }
    }

    /// <summary>The hashes of a stored chunk id list, or null when an id is malformed or no longer in <c>chunks</c>.</summary>
    private Hash256[]? ResolveChunks(ReadOnlySpan<byte> ids)
    {
        var chunks = new Hash256[ChunkIdList.Count(ids)];
        var offset = 0;
        for (var i = 0; i < chunks.Length; i++)
        {
            if (!ChunkIdList.TryRead(ids, ref offset, out var id))
            {
                return null;
            }

            _findChunk!.Bind(1, id);
            try
            {
                if (!_findChunk.Step())
                {
                    return null;
                }

                var hash = _findChunk.Blob(0);
                if (hash.Length != Hash256.Size)
                {
                    return null;
                }

                chunks[i] = new Hash256(hash);
            }
            finally
            {
                _findChunk.Reset();
            }
        }

        return offset == ids.Length ? chunks : null;
    }
}
