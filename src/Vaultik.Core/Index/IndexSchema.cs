using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Index;

/// <summary>
/// The index file's tables and schema version: <c>meta</c>, <c>blobs</c> and <c>chunks</c> (<see cref="ChunkCache"/>),
/// <c>files</c> (<see cref="FileFingerprints"/>), <c>dirty_paths</c> (<see cref="DirtyPathQueue"/>) and
/// <c>walks</c> (<see cref="WalkRecords"/>). A file of another schema version is refused.
/// </summary>
internal static class IndexSchema
{
    private const int Version = 1;

    /// <summary>Creates the missing tables and checks the schema version; throws <see cref="SqliteException"/> on a mismatch.</summary>
    public static void Apply(SqliteConnection db)
    {
        IndexConnection.Exec(db, """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS blobs (hash BLOB PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS chunks (
                hash BLOB PRIMARY KEY, blob_hash BLOB NOT NULL, frame_offset INTEGER NOT NULL,
                frame_length INTEGER NOT NULL, plain_length INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS chunks_by_blob ON chunks (blob_hash);
            CREATE TABLE IF NOT EXISTS files (
                path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
                inode INTEGER NOT NULL, device INTEGER NOT NULL, chunks BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS dirty_paths (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS walks (
                name TEXT NOT NULL, seq INTEGER NOT NULL, end_seq INTEGER NOT NULL, path TEXT NOT NULL, type INTEGER NOT NULL,
                mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, size INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, device INTEGER NOT NULL,
                nlink INTEGER NOT NULL, link_target TEXT, PRIMARY KEY (name, seq)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS walks_by_path ON walks (name, path);
            """);
        using var version = db.CreateCommand();
        version.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', $v); SELECT value FROM meta WHERE key = 'schema_version';";
        version.Parameters.AddWithValue("$v", Version.ToString(CultureInfo.InvariantCulture));
        if (version.ExecuteScalar() as string != Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new SqliteException("unsupported index schema version", 1);
        }
    }
}
