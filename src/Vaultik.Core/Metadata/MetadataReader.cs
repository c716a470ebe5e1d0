using Microsoft.Data.Sqlite;
using Vaultik.Core.Packing;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Read access to a downloaded snapshot metadata database (a private local copy, so helper tables and
/// indexes may be added to it). Thread-safe: queries are serialised on one connection.
/// </summary>
public sealed partial class MetadataReader : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly object _lock = new();

    /// <summary>Opens the database defensively and checks its schema, integrity and format version (<see cref="MetadataConnection"/>).</summary>
    public MetadataReader(string path) => _db = MetadataConnection.Open(path);

    /// <summary>Reads a verified local copy read-only (<see cref="MetadataConnection.OpenVerifiedCopy"/>): the metadata cache's warm path.</summary>
    internal static MetadataReader OpenVerifiedCopy(string path) => new(MetadataConnection.OpenVerifiedCopy(path));

    private MetadataReader(Microsoft.Data.Sqlite.SqliteConnection db) => _db = db;

    /// <summary>
    /// One files row (columns of <see cref="MetadataSql.EntryColumns"/>). A row with a value of the wrong type
    /// comes back as type <see cref="MetadataSchema.TypeMalformed"/>; a mode beyond an int as -1: the planner refuses both.
    /// </summary>
    internal static SnapshotEntry ReadEntry(SqliteDataReader r)
    {
        if (!r.GetBoolean(10))
        {
            return new SnapshotEntry(r.IsDBNull(0) ? -1 : r.GetInt64(0), r.GetString(1), MetadataSchema.TypeMalformed, 0, 0, 0, 0, 0, null, null);
        }

        var mode = r.GetInt64(3);
        return new SnapshotEntry(
            r.GetInt64(0), r.GetString(1), r.GetString(2), mode is >= 0 and <= int.MaxValue ? (int)mode : -1, r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7),
            r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9));
    }

    /// <summary>
    /// Which of <paramref name="fileIds"/> have a chunk list that does not add up to the file's size, points
    /// nowhere or at a chunk row that cannot be read (<see cref="MetadataSql.BadChunk"/>). Pure: the helper
    /// table it fills is dropped before it returns.
    /// </summary>
    public HashSet<long> InconsistentFiles(IEnumerable<long> fileIds) => Guard(() =>
    {
        FillSelection("_check", fileIds);
        try
        {
            var bad = new HashSet<long>();
            using var cmd = _db.CreateCommand();
            // total() is a float and never overflows; sizes above 2^53 are refused before this runs. The selection
            // drives every join (CROSS JOIN fixes SQLite's loop order): a restore asks this per window, and a scan of
            // files or file_chunks per window made a 1M-entry restore quadratic.
            cmd.CommandText = $"""
                SELECT f.id FROM _check s CROSS JOIN files f ON f.id = s.file_id
                WHERE f.type = 'file' AND f.hardlink_to IS NULL AND f.size != coalesce((
                    SELECT total(c.plain_length) FROM file_chunks fc JOIN chunks c ON c.id = fc.chunk_id
                    JOIN blobs b ON b.hash = c.blob_hash WHERE fc.file_id = f.id), 0)
                UNION
                SELECT fc.file_id FROM _check s CROSS JOIN file_chunks fc ON fc.file_id = s.file_id
                LEFT JOIN chunks c ON c.id = fc.chunk_id LEFT JOIN blobs b ON b.hash = c.blob_hash
                WHERE {MetadataSql.BadChunk("c", "b")};
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
    });

    /// <summary>
    /// Lays out the chunks of <paramref name="fileIds"/> at their byte offsets, replacing any earlier layout;
    /// <see cref="PlannedBlobs"/> and <see cref="TargetsInBlob"/> then answer for these files.
    /// </summary>
    public void LayOutChunks(IEnumerable<long> fileIds) => Guard(() =>
    {
        Exec("DROP TABLE IF EXISTS _pos;");
        FillSelection("_sel", fileIds);
        Exec("""
            CREATE TABLE _pos AS
              SELECT fc.file_id, fc.seq, fc.chunk_id,
                     coalesce(SUM(c.plain_length) OVER (PARTITION BY fc.file_id ORDER BY fc.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS file_offset
              FROM _sel s CROSS JOIN file_chunks fc ON fc.file_id = s.file_id LEFT JOIN chunks c ON c.id = fc.chunk_id;
            CREATE INDEX _pos_by_chunk ON _pos (chunk_id);
            DROP TABLE _sel;
            """);
        return 0;
    });

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
    public List<(Hash256 Hash, long Size)> PlannedBlobs() => Guard(() =>
    {
        // Files whose chunks name a blob row that does not parse were refused when planning (InconsistentFiles).
        var list = new List<(Hash256, long)>();
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT b.hash, b.size FROM blobs b WHERE b.hash IN (SELECT c.blob_hash FROM _pos p CROSS JOIN chunks c ON c.id = p.chunk_id) ORDER BY b.hash;";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (Hash256.TryParse(r.GetString(0), out var hash))
            {
                list.Add((hash, r.GetInt64(1)));
            }
        }

        return list;
    });

    /// <summary>
    /// Every laid-out (file, offset) that needs a chunk of <paramref name="blob"/>, grouped by chunk. The laid-out
    /// window drives the join (CROSS JOIN fixes SQLite's loop order): through the chunks-by-blob index, each
    /// window would scan every chunk of a blob that holds the whole snapshot.
    /// </summary>
    public Dictionary<long, (PackedChunk Chunk, List<(long FileId, long Offset)> Targets)> TargetsInBlob(Hash256 blob) => Guard(() =>
    {
        var result = new Dictionary<long, (PackedChunk, List<(long, long)>)>();
        using var cmd = _db.CreateCommand();
        cmd.CommandText = """
            SELECT c.hash, c.frame_offset, c.frame_length, c.plain_length, p.file_id, p.file_offset
            FROM _pos p CROSS JOIN chunks c ON c.id = p.chunk_id WHERE c.blob_hash = $b;
            """;
        cmd.Parameters.AddWithValue("$b", blob.ToString());
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var offset = r.GetInt64(1);
            if (!result.TryGetValue(offset, out var entry))
            {
                entry = (Chunk(r, 0, 1, 2, 3), []);
                result[offset] = entry;
            }

            entry.Item2.Add((r.GetInt64(4), r.GetInt64(5)));
        }

        return result;
    });

    /// <summary>The entry at <paramref name="path"/>, or null.</summary>
    public SnapshotEntry? FindEntry(string path) => Guard(() =>
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"SELECT {MetadataSql.EntryColumns} FROM files WHERE path = $p;";
        cmd.Parameters.AddWithValue("$p", path);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadEntry(r) : null;
    });

    /// <summary>A file's chunks in order, each with its blob (hash and stored size); a chunk that is missing or cannot be read (<see cref="MetadataSql.BadChunk"/>) has a null blob.</summary>
    public List<(PackedChunk Chunk, string? Blob, long BlobSize)> FileChunks(long fileId) => Guard(() =>
    {
        var list = new List<(PackedChunk, string?, long)>();
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"""
            SELECT c.hash, c.frame_offset, c.frame_length, c.plain_length, b.hash, b.size, {MetadataSql.BadChunk("c", "b")}
            FROM file_chunks fc LEFT JOIN chunks c ON c.id = fc.chunk_id LEFT JOIN blobs b ON b.hash = c.blob_hash
            WHERE fc.file_id = $f ORDER BY fc.seq;
            """;
        cmd.Parameters.AddWithValue("$f", fileId);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(r.GetBoolean(6) ? (default, null, 0) : (Chunk(r, 0, 1, 2, 3), r.GetString(4), r.GetInt64(5)));
        }

        return list;
    });

    /// <summary>Every readable chunk location in the snapshot, with its blob's hash and stored size (for deep verification); <see cref="CheckFileChunks"/> reports the others.</summary>
    public IEnumerable<(string Blob, long BlobSize, PackedChunk Chunk)> AllChunks() => Guard(() =>
    {
        var list = new List<(string, long, PackedChunk)>();
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"SELECT c.hash, c.blob_hash, c.frame_offset, c.frame_length, c.plain_length, b.size FROM chunks c LEFT JOIN blobs b ON b.hash = c.blob_hash WHERE NOT {MetadataSql.BadChunk("c", "b")};";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add((r.GetString(1), r.GetInt64(5), Chunk(r, 0, 2, 3, 4)));
        }

        return list;
    });

    /// <summary>Files whose chunk list points at missing or unreadable chunks or blobs, or does not add up to the file's size.</summary>
    public IReadOnlyList<string> CheckFileChunks() => Guard(() =>
    {
        var problems = new List<string>();
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"""
            SELECT CASE WHEN typeof(f.path) = 'text' THEN f.path ELSE quote(f.path) END, f.size, total(c.plain_length),
                   count(fc.seq), count(c.id), count(b.hash), count(CASE WHEN fc.file_id IS NOT NULL AND {MetadataSql.BadChunk("c", "b")} THEN 1 END)
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
            else if (r.GetInt64(6) > 0)
            {
                problems.Add($"file {r.GetString(0)} references a chunk whose hash or frame location in the metadata is invalid");
            }
            else if (r.GetInt64(1) != r.GetDouble(2))
            {
                problems.Add($"file {r.GetString(0)} has {r.GetInt64(1)} bytes but its chunks add up to {r.GetDouble(2):F0}");
            }
        }

        return problems;
    });

    /// <summary>A chunk from a row checked by <see cref="MetadataSql.BadChunk"/> (lengths then fit an int; a hash that does not parse reads as zero).</summary>
    private static PackedChunk Chunk(SqliteDataReader r, int hash, int offset, int frame, int plain) => new(
        !r.IsDBNull(hash) && Hash256.TryParse(r.GetString(hash), out var h) ? h : default,
        r.GetInt64(offset), (int)Math.Clamp(r.GetInt64(frame), 0, int.MaxValue), (int)Math.Clamp(r.GetInt64(plain), 0, int.MaxValue));

    /// <summary>Runs <paramref name="query"/> on the connection under the lock, with the reader's error handling (for <see cref="MetadataManifestCheck"/>).</summary>
    internal T Query<T>(Func<SqliteConnection, T> query) => Guard(() => query(_db));

    /// <summary>Runs one query under the lock; an SQLite failure (a damaged or hostile file) becomes a <see cref="CorruptDataException"/>.</summary>
    private T Guard<T>(Func<T> query)
    {
        lock (_lock)
        {
            try
            {
                return query();
            }
            catch (SqliteException ex)
            {
                throw new CorruptDataException($"cannot read snapshot metadata: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OverflowException or InvalidCastException)
            {
                // A NULL, a value of the wrong type or one beyond its C# type where a query reads a value.
                throw new CorruptDataException($"cannot read snapshot metadata: a value has the wrong type or is out of range ({ex.Message})", ex);
            }
        }
    }

    private void Exec(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _db.Dispose();
}
