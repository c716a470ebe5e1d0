using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Metadata;

/// <summary>
/// The root object of a format 3 snapshot (docs/FORMAT.md, "Root object"), stored as <c>db.zst.age</c>: the
/// snapshot table, the ordered list of the row stream's chunks with their locations, and every blob the
/// snapshot needs (data and row stream).
/// </summary>
public static class RootDatabase
{
    public const string Create = """
        CREATE TABLE snapshot (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE stream_chunks (
            seq INTEGER PRIMARY KEY,
            hash TEXT NOT NULL,
            blob_hash TEXT NOT NULL REFERENCES blobs(hash),
            frame_offset INTEGER NOT NULL,
            frame_length INTEGER NOT NULL,
            plain_length INTEGER NOT NULL);
        CREATE TABLE blobs (hash TEXT PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
        """;

    public const string StreamSizeKey = "row_stream_size";
    public const string StreamHashKey = "row_stream_sha256";

    /// <summary>
    /// Writes the root at <paramref name="rootPath"/> from the local snapshot database (its snapshot and blobs
    /// tables; format_version becomes 3) and the stream database (<c>_seq</c>: the stream's chunk hashes in order,
    /// <c>chunks</c> and <c>blobs</c>: their locations, as <see cref="Index.ChunkCache"/> exported them).
    /// </summary>
    public static void Build(string rootPath, string snapshotDbPath, string streamDbPath, long streamSize, Hash256 streamHash)
    {
        File.Delete(rootPath);
        Platform.PrivateFiles.EnsureFile(rootPath);
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = rootPath, Pooling = false, ForeignKeys = false }.ToString());
        db.Open();
        Exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + Create);
        using var attach = db.CreateCommand();
        attach.CommandText = "ATTACH DATABASE $s AS snap; ATTACH DATABASE $t AS stream;";
        attach.Parameters.AddWithValue("$s", snapshotDbPath);
        attach.Parameters.AddWithValue("$t", streamDbPath);
        attach.ExecuteNonQuery();
        using var tx = db.BeginTransaction();
        using var fill = db.CreateCommand();
        fill.Transaction = tx;
        fill.CommandText = """
            INSERT INTO snapshot (key, value) SELECT key, value FROM snap.snapshot WHERE key NOT IN ('format_version', $sizeKey, $hashKey);
            INSERT INTO snapshot (key, value) VALUES ('format_version', $version), ($sizeKey, $size), ($hashKey, $hash);
            INSERT INTO stream_chunks (seq, hash, blob_hash, frame_offset, frame_length, plain_length)
              SELECT s.seq, c.hash, c.blob_hash, c.frame_offset, c.frame_length, c.plain_length
              FROM stream._seq s JOIN stream.chunks c ON c.hash = lower(hex(s.hash)) ORDER BY s.seq;
            INSERT INTO blobs (hash, size) SELECT hash, size FROM snap.blobs UNION SELECT hash, size FROM stream.blobs;
            """;
        fill.Parameters.AddWithValue("$sizeKey", StreamSizeKey);
        fill.Parameters.AddWithValue("$hashKey", StreamHashKey);
        fill.Parameters.AddWithValue("$version", RowStream.FormatVersion.ToString(CultureInfo.InvariantCulture));
        fill.Parameters.AddWithValue("$size", streamSize.ToString(CultureInfo.InvariantCulture));
        fill.Parameters.AddWithValue("$hash", streamHash.ToString());
        fill.ExecuteNonQuery();
        tx.Commit();
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
