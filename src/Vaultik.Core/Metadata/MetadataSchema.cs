namespace Vaultik.Core.Metadata;

/// <summary>The snapshot metadata database schema of docs/FORMAT.md, "Snapshot metadata".</summary>
public static class MetadataSchema
{
    public const string Create = """
        CREATE TABLE snapshot (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            mode INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            gid INTEGER NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            link_target TEXT,
            hardlink_to TEXT);
        CREATE TABLE file_chunks (
            file_id INTEGER NOT NULL REFERENCES files(id),
            seq INTEGER NOT NULL,
            chunk_id INTEGER NOT NULL REFERENCES chunks(id),
            PRIMARY KEY (file_id, seq)) WITHOUT ROWID;
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL,
            blob_hash TEXT NOT NULL REFERENCES blobs(hash),
            frame_offset INTEGER NOT NULL,
            frame_length INTEGER NOT NULL,
            plain_length INTEGER NOT NULL);
        CREATE TABLE blobs (hash TEXT PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE xattrs (
            file_id INTEGER NOT NULL REFERENCES files(id),
            name BLOB NOT NULL,
            value BLOB NOT NULL,
            PRIMARY KEY (file_id, name)) WITHOUT ROWID;
        """;

    /// <summary>The table of extended attributes (format 4); a format 2 database has none, and readers add it empty.</summary>
    public const string CreateXattrs = """
        CREATE TABLE IF NOT EXISTS xattrs (
            file_id INTEGER NOT NULL REFERENCES files(id),
            name BLOB NOT NULL,
            value BLOB NOT NULL,
            PRIMARY KEY (file_id, name)) WITHOUT ROWID;
        """;

    public const string TypeFile = "file";
    public const string TypeDirectory = "dir";
    public const string TypeSymlink = "symlink";

    /// <summary>Not a stored type: what <see cref="MetadataReader"/> reports for a row holding a value of the wrong SQLite type.</summary>
    public const string TypeMalformed = "(malformed row)";
}
