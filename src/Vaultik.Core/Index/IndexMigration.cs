using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Index;

/// <summary>
/// Upgrades an index of schema 1 (full paths and 32-byte hashes in every row) to schema 2 in one transaction.
/// The dedup cache (blobs, chunks) is carried over, so nothing is uploaded again; the file fingerprints and
/// recorded walks are dropped, so the next snapshot reads every file once and the daemon's next run walks in
/// full. The file is then vacuumed to give the space back.
/// </summary>
internal static class IndexMigration
{
    public const string FromVersion = "1";

    public const string Notice = "upgraded the index from schema 1 to 2: the next snapshot reads every file once again (nothing is uploaded again)";

    public static void Run(SqliteConnection db)
    {
        using (var tx = db.BeginTransaction())
        {
            using var cmd = db.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                ALTER TABLE blobs RENAME TO blobs_v1;
                ALTER TABLE chunks RENAME TO chunks_v1;
                DROP INDEX IF EXISTS chunks_by_blob;
                DROP TABLE files;
                DROP TABLE IF EXISTS walks;
                DROP INDEX IF EXISTS walks_by_path;
                DELETE FROM meta WHERE key LIKE 'walk:%';
                """ + IndexSchema.Tables + """
                INSERT INTO blobs (hash, size) SELECT hash, size FROM blobs_v1 ORDER BY hash;
                INSERT INTO chunks (hash, blob, frame_offset, frame_length, plain_length)
                  SELECT c.hash, b.id, c.frame_offset, c.frame_length, c.plain_length
                  FROM chunks_v1 c JOIN blobs b ON b.hash = c.blob_hash ORDER BY c.hash;
                DROP TABLE chunks_v1;
                DROP TABLE blobs_v1;
                UPDATE meta SET value = '2' WHERE key = 'schema_version';
                """;
            cmd.ExecuteNonQuery();
            tx.Commit();
        }

        IndexConnection.Exec(db, "VACUUM;");
    }
}
