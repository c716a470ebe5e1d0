using Microsoft.Data.Sqlite;
using Vaultik.Core.Packing;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Read access to a downloaded snapshot metadata database (a private local copy, so helper tables and
/// indexes may be added to it). Thread-safe: queries are serialised on one connection.
/// </summary>
public sealed class MetadataReader : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly object _lock = new();

    public MetadataReader(string path)
    {
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = false }.ToString());
        try
        {
            _db.Open();
            Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA quick_check;");
            using (var version = _db.CreateCommand())
            {
                version.CommandText = "SELECT value FROM snapshot WHERE key = 'format_version';";
                var found = version.ExecuteScalar() as string;
                var expected = SnapshotManifest.CurrentFormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (found != expected)
                {
                    throw new CorruptDataException($"cannot read snapshot metadata of store format {found ?? "(none)"}: this Vaultik reads format {expected}");
                }
            }

            Exec("CREATE INDEX IF NOT EXISTS _chunks_by_blob ON chunks (blob_hash);");
        }
        catch (Exception ex) when (ex is SqliteException or CorruptDataException)
        {
            _db.Dispose();
            throw ex as CorruptDataException ?? new CorruptDataException($"cannot read snapshot metadata: {ex.Message}", ex);
        }
    }

    public List<SnapshotEntry> ReadEntries()
    {
        var list = new List<SnapshotEntry>();
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT id, path, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to FROM files ORDER BY path;";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(new SnapshotEntry(
                    r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7),
                    r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9)));
            }
        }

        return list;
    }

    /// <summary>
    /// Which of <paramref name="fileIds"/> have a chunk list that does not add up to the file's size or points
    /// nowhere. Pure: the helper table it fills is dropped before it returns.
    /// </summary>
    public HashSet<long> InconsistentFiles(IEnumerable<long> fileIds)
    {
        lock (_lock)
        {
            FillSelection("_check", fileIds);
            try
            {
                var bad = new HashSet<long>();
                using var cmd = _db.CreateCommand();
                cmd.CommandText = """
                    SELECT f.id FROM _check s JOIN files f ON f.id = s.file_id
                    WHERE f.type = 'file' AND f.hardlink_to IS NULL AND f.size != coalesce((
                        SELECT sum(c.plain_length) FROM file_chunks fc JOIN chunks c ON c.id = fc.chunk_id
                        JOIN blobs b ON b.hash = c.blob_hash WHERE fc.file_id = f.id), 0)
                    UNION
                    SELECT fc.file_id FROM _check s JOIN file_chunks fc ON fc.file_id = s.file_id
                    LEFT JOIN chunks c ON c.id = fc.chunk_id
                    WHERE c.id IS NULL OR c.plain_length < 0 OR c.plain_length > 67108864 OR c.frame_length <= 0 OR c.frame_length > 134217728;
                    """;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    bad.Add(r.GetInt64(0));
                }

                return bad;
            }
            finally
            {
                Exec("DROP TABLE _check;");
            }
        }
    }

    /// <summary>
    /// Lays out the chunks of <paramref name="fileIds"/> at their byte offsets, replacing any earlier layout;
    /// <see cref="PlannedBlobs"/> and <see cref="TargetsInBlob"/> then answer for these files.
    /// </summary>
    public void LayOutChunks(IEnumerable<long> fileIds)
    {
        lock (_lock)
        {
            Exec("DROP TABLE IF EXISTS _pos;");
            FillSelection("_sel", fileIds);
            Exec("""
                CREATE TABLE _pos AS
                  SELECT fc.file_id, fc.seq, fc.chunk_id,
                         coalesce(SUM(c.plain_length) OVER (PARTITION BY fc.file_id ORDER BY fc.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS file_offset
                  FROM _sel s JOIN file_chunks fc ON fc.file_id = s.file_id LEFT JOIN chunks c ON c.id = fc.chunk_id;
                CREATE INDEX _pos_by_chunk ON _pos (chunk_id);
                DROP TABLE _sel;
                """);
        }
    }

    /// <summary>Creates the helper table <paramref name="table"/> (file_id) holding <paramref name="fileIds"/>. Caller holds the lock.</summary>
    private void FillSelection(string table, IEnumerable<long> fileIds)
    {
        Exec($"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (file_id INTEGER PRIMARY KEY);");
        using var tx = _db.BeginTransaction();
        using var insert = _db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT OR IGNORE INTO {table} (file_id) VALUES ($i);";
        var p = insert.Parameters.Add("$i", SqliteType.Integer);
        foreach (var id in fileIds)
        {
            p.Value = id;
            insert.ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <summary>The blobs holding chunks of the laid-out files (<see cref="LayOutChunks"/>), with stored sizes, in hash order.</summary>
    public List<(Hash256 Hash, long Size)> PlannedBlobs()
    {
        var list = new List<(Hash256, long)>();
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT b.hash, b.size FROM blobs b WHERE b.hash IN (SELECT c.blob_hash FROM _pos p JOIN chunks c ON c.id = p.chunk_id) ORDER BY b.hash;";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (Hash256.TryParse(r.GetString(0), out var hash))
                {
                    list.Add((hash, r.GetInt64(1)));
                }
            }
        }

        return list;
    }

    /// <summary>Every laid-out (file, offset) that needs a chunk of <paramref name="blob"/>, grouped by chunk.</summary>
    public Dictionary<long, (PackedChunk Chunk, List<(long FileId, long Offset)> Targets)> TargetsInBlob(Hash256 blob)
    {
        var result = new Dictionary<long, (PackedChunk, List<(long, long)>)>();
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = """
                SELECT c.hash, c.frame_offset, c.frame_length, c.plain_length, p.file_id, p.file_offset
                FROM chunks c JOIN _pos p ON p.chunk_id = c.id WHERE c.blob_hash = $b;
                """;
            cmd.Parameters.AddWithValue("$b", blob.ToString());
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var offset = r.GetInt64(1);
                if (!result.TryGetValue(offset, out var entry))
                {
                    var hash = Hash256.TryParse(r.GetString(0), out var h) ? h : default;
                    entry = (new PackedChunk(hash, offset, r.GetInt32(2), r.GetInt32(3)), []);
                    result[offset] = entry;
                }

                entry.Item2.Add((r.GetInt64(4), r.GetInt64(5)));
            }
        }

        return result;
    }

    /// <summary>The entry at <paramref name="path"/>, or null.</summary>
    public SnapshotEntry? FindEntry(string path)
    {
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT id, path, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to FROM files WHERE path = $p;";
            cmd.Parameters.AddWithValue("$p", path);
            using var r = cmd.ExecuteReader();
            return r.Read()
                ? new SnapshotEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7),
                    r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9))
                : null;
        }
    }

    /// <summary>A file's chunks in order, each with its blob (hash and stored size); a chunk with no location has a null blob.</summary>
    public List<(PackedChunk Chunk, string? Blob, long BlobSize)> FileChunks(long fileId)
    {
        var list = new List<(PackedChunk, string?, long)>();
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = """
                SELECT c.hash, c.frame_offset, c.frame_length, c.plain_length, b.hash, b.size
                FROM file_chunks fc LEFT JOIN chunks c ON c.id = fc.chunk_id LEFT JOIN blobs b ON b.hash = c.blob_hash
                WHERE fc.file_id = $f ORDER BY fc.seq;
                """;
            cmd.Parameters.AddWithValue("$f", fileId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var hash = !r.IsDBNull(0) && Hash256.TryParse(r.GetString(0), out var h) ? h : default;
                list.Add(r.IsDBNull(4)
                    ? (new PackedChunk(hash, 0, 0, 0), null, 0)
                    : (new PackedChunk(hash, r.GetInt64(1), r.GetInt32(2), r.GetInt32(3)), r.GetString(4), r.GetInt64(5)));
            }
        }

        return list;
    }

    /// <summary>Every chunk location in the snapshot, with its blob hash (for deep verification).</summary>
    public IEnumerable<(string Blob, PackedChunk Chunk)> AllChunks()
    {
        var list = new List<(string, PackedChunk)>();
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT hash, blob_hash, frame_offset, frame_length, plain_length FROM chunks;";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var hash = Hash256.TryParse(r.GetString(0), out var h) ? h : default;
                list.Add((r.GetString(1), new PackedChunk(hash, r.GetInt64(2), r.GetInt32(3), r.GetInt32(4))));
            }
        }

        return list;
    }

    /// <summary>Files whose chunk list points at missing chunks or blobs, or does not add up to the file's size.</summary>
    public IReadOnlyList<string> CheckFileChunks()
    {
        var problems = new List<string>();
        lock (_lock)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = """
                SELECT f.path, f.size, coalesce(sum(c.plain_length), 0), count(fc.seq), count(c.id), count(b.hash)
                FROM files f LEFT JOIN file_chunks fc ON fc.file_id = f.id LEFT JOIN chunks c ON c.id = fc.chunk_id
                LEFT JOIN blobs b ON b.hash = c.blob_hash
                WHERE f.type = 'file' AND f.hardlink_to IS NULL GROUP BY f.id;
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (r.GetInt64(3) != r.GetInt64(4) || r.GetInt64(4) != r.GetInt64(5))
                {
                    problems.Add($"file {r.GetString(0)} references chunks with no stored location");
                }
                else if (r.GetInt64(1) != r.GetInt64(2))
                {
                    problems.Add($"file {r.GetString(0)} has {r.GetInt64(1)} bytes but its chunks add up to {r.GetInt64(2)}");
                }
            }
        }

        return problems;
    }

    private void Exec(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _db.Dispose();
}
