using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Opens a downloaded snapshot metadata database for <see cref="MetadataReader"/>. The file is the store's, so
/// possibly an attacker's: it is opened defensively, its schema compared with the format's
/// (<see cref="MetadataSchemaCheck"/>), its integrity and format version checked. Any failure refuses the whole
/// snapshot with "cannot read snapshot metadata: …".
/// </summary>
internal static class MetadataConnection
{
    /// <summary>The largest string, blob or row SQLite hands back (a files row is at most about 12 KiB).</summary>
    public const int MaxValueBytes = 1 << 20;

    /// <summary>Opens a snapshot database (a v2 one as downloaded and its names escaped, or a v3 or later one as <see cref="RowStreamReplay"/> rebuilt it).</summary>
    public static SqliteConnection Open(string path) => Open(path, MetadataSchemaCheck.Problem, Readable(2), index: true);

    /// <summary>Opens a format 3 or later root object (<see cref="RootDatabase"/>), as defensively.</summary>
    public static SqliteConnection OpenRoot(string path) => Open(path, MetadataSchemaCheck.RootProblem, Readable(3), index: false);

    /// <summary>Whether a metadata object of <paramref name="formatVersion"/> is a root object with a row stream (format 3 and later).</summary>
    public static bool IsRoot(string? formatVersion) => formatVersion is not null && formatVersion != "2";

    private static string[] Readable(int oldest) =>
        SnapshotManifest.ReadableFormatVersions.Where(v => v >= oldest).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The <c>format_version</c> a downloaded metadata object claims, read defensively, before its schema is judged.</summary>
    /// <summary>
    /// Opens a metadata database read-only, configured defensively, without the schema and quick_check of
    /// <see cref="Open(string)"/>: for a local cache file whose MAC proved it is one this user's Vaultik wrote after those checks.
    /// </summary>
    public static SqliteConnection OpenVerifiedCopy(string path)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false, ForeignKeys = false }.ToString());
        try
        {
            db.Open();
            OpenDefensively(db);
            return db;
        }
        catch (SqliteException ex)
        {
            db.Dispose();
            throw new CorruptDataException($"cannot read snapshot metadata: {ex.Message}", ex);
        }
    }

    public static string? FormatVersion(string path)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            db.Open();
            OpenDefensively(db);
            using var version = db.CreateCommand();
            version.CommandText = "SELECT value FROM snapshot WHERE key = 'format_version';";
            return version.ExecuteScalar() as string;
        }
        catch (SqliteException ex)
        {
            throw new CorruptDataException($"cannot read snapshot metadata: {ex.Message}", ex);
        }
    }

    private static SqliteConnection Open(string path, Func<SqliteConnection, string?> schemaProblem, string[] versions, bool index)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = false }.ToString());
        try
        {
            db.Open();
            OpenDefensively(db);
            if (schemaProblem(db) is { } problem)
            {
                throw new CorruptDataException($"cannot read snapshot metadata: {problem}");
            }

            Exec(db, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;");
            using (var check = db.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check(1);";
                if (check.ExecuteScalar() is string result && result != "ok")
                {
                    throw new CorruptDataException($"cannot read snapshot metadata: the database is damaged ({result})");
                }
            }

            using (var version = db.CreateCommand())
            {
                version.CommandText = "SELECT value FROM snapshot WHERE key = 'format_version';";
                var found = version.ExecuteScalar() as string;
                if (found is null || !versions.Contains(found))
                {
                    throw new CorruptDataException($"cannot read snapshot metadata of store format {found ?? "(none)"}: this Vaultik reads format {string.Join(" and ", versions)} here");
                }
            }

            if (index)
            {
                Exec(db, "CREATE INDEX IF NOT EXISTS _chunks_by_blob ON chunks (blob_hash);");
                Exec(db, MetadataSchema.CreateXattrs);
            }

            return db;
        }
        catch (Exception ex) when (ex is SqliteException or CorruptDataException)
        {
            db.Dispose();
            throw ex as CorruptDataException ?? new CorruptDataException($"cannot read snapshot metadata: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The file is the store's, so possibly an attacker's: no extensions, no functions from the schema, no
    /// triggers or views, defensive mode, no memory map, and no string or row above <see cref="MaxValueBytes"/>.
    /// </summary>
    private static void OpenDefensively(SqliteConnection db)
    {
        db.EnableExtensions(false);
        var handle = db.Handle;
        foreach (var (option, value) in new[]
        {
            (raw.SQLITE_DBCONFIG_DEFENSIVE, 1), (raw.SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0), (raw.SQLITE_DBCONFIG_ENABLE_TRIGGER, 0),
            (raw.SQLITE_DBCONFIG_ENABLE_VIEW, 0), (raw.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0),
        })
        {
            var rc = raw.sqlite3_db_config(handle, option, value, out _);
            if (rc != raw.SQLITE_OK)
            {
                throw new CorruptDataException($"cannot read snapshot metadata: SQLite refused configuration option {option} ({rc})");
            }
        }

        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_LENGTH, MaxValueBytes);
        Exec(db, "PRAGMA trusted_schema=OFF; PRAGMA cell_size_check=ON; PRAGMA mmap_size=0;");
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
