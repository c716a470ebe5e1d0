using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Index;

/// <summary>
/// The index file's tables and schema version: <c>meta</c>, <c>blobs</c> and <c>chunks</c> (<see cref="ChunkCache"/>),
/// <c>dirs</c> and <c>files</c> (<see cref="FileFingerprints"/>), <c>dirty_paths</c> (<see cref="DirtyPathQueue"/>) and
/// <c>walk_names</c>, <c>walks</c> and <c>walk_dirs</c> (<see cref="WalkRecords"/>). An index of schema 1 is upgraded in place (<see cref="IndexMigration"/>);
/// a file of any other version is refused.
/// </summary>
internal static class IndexSchema
{
    public const int Version = 2;

    /// <summary>
    /// The tables of schema 2. Chunks and directories get ids that are never reused (AUTOINCREMENT), so a file
    /// row that still names a forgotten chunk or directory never resolves to another one. A chunk is found by
    /// hash through an index on the hash's first 8 bytes (<see cref="ChunkByHash"/> then compares the whole
    /// hash), a quarter of the size of a unique index on all 32.
    /// </summary>
    public const string Tables = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, size INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS chunks (
            id INTEGER PRIMARY KEY AUTOINCREMENT, hash BLOB NOT NULL, blob INTEGER NOT NULL,
            frame_offset INTEGER NOT NULL, frame_length INTEGER NOT NULL, plain_length INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS chunks_by_hash ON chunks (substr(hash, 1, 8));
        CREATE TABLE IF NOT EXISTS dirs (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE, device INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS files (
            dir INTEGER NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
            ctime_delta INTEGER NOT NULL, inode INTEGER NOT NULL, device INTEGER NOT NULL, chunks BLOB NOT NULL,
            PRIMARY KEY (dir, name)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS dirty_paths (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS walk_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, signature TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS walks (
            walk INTEGER NOT NULL, seq INTEGER NOT NULL, span INTEGER NOT NULL, name TEXT NOT NULL, type INTEGER NOT NULL,
            mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
            ctime_delta INTEGER NOT NULL, inode INTEGER NOT NULL, device INTEGER NOT NULL, nlink INTEGER NOT NULL, link_target TEXT,
            PRIMARY KEY (walk, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS walk_dirs (walk INTEGER NOT NULL, path TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (walk, path)) WITHOUT ROWID;
        """;

    /// <summary>The condition that finds the chunk of hash <c>?1</c> through <c>chunks_by_hash</c> (table alias <c>c</c>).</summary>
    public const string ChunkByHash = "substr(c.hash, 1, 8) = substr(?1, 1, 8) AND c.hash = ?1";

    /// <summary>
    /// Creates the missing tables, upgrading a schema 1 index first (<paramref name="notice"/> is told);
    /// throws <see cref="UnusableIndexException"/> for any other version.
    /// </summary>
    public static void Apply(SqliteConnection db, Action<string> notice)
    {
        var found = ReadVersion(db);
        if (found == IndexMigration.FromVersion)
        {
            IndexMigration.Run(db);
            notice(IndexMigration.Notice);
            found = Version.ToString(CultureInfo.InvariantCulture);
        }

        IndexConnection.Exec(db, Tables);
        using var version = db.CreateCommand();
        version.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', $v); SELECT value FROM meta WHERE key = 'schema_version';";
        version.Parameters.AddWithValue("$v", Version.ToString(CultureInfo.InvariantCulture));
        if (version.ExecuteScalar() as string != Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new UnusableIndexException($"unsupported index schema version {found}");
        }
    }

    /// <summary>The recorded schema version, or null for a new file.</summary>
    private static string? ReadVersion(SqliteConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta';";
        if ((long)cmd.ExecuteScalar()! == 0)
        {
            return null;
        }

        cmd.CommandText = "SELECT value FROM meta WHERE key = 'schema_version';";
        return cmd.ExecuteScalar() as string;
    }
}
