using Vaultik.Core.Metadata;

namespace Vaultik.Core.Tests.Restore;

/// <summary>A metadata database whose schema is not the format's is refused as a whole before any query runs.</summary>
public sealed class HostileSchemaTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-hostile-").FullName;

    /// <summary>The format's other tables, loosely typed as an attacker may write them.</summary>
    private const string TablesButFiles = """
        CREATE TABLE snapshot (key TEXT, value TEXT);
        INSERT INTO snapshot VALUES ('format_version', '2');
        CREATE TABLE file_chunks (file_id INTEGER, seq INTEGER, chunk_id INTEGER);
        CREATE TABLE chunks (id INTEGER, hash TEXT, blob_hash TEXT, frame_offset INTEGER, frame_length INTEGER, plain_length INTEGER);
        CREATE TABLE blobs (hash TEXT, size INTEGER);
        """;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("CREATE TABLE extra (x);")]
    [InlineData("CREATE VIEW v AS SELECT 1;")]
    [InlineData("CREATE TRIGGER t AFTER INSERT ON blobs BEGIN DELETE FROM files; END;")]
    [InlineData("CREATE VIRTUAL TABLE vt USING fts5(a);")]
    public void A_database_with_extra_objects_is_refused(string sql)
    {
        var path = HostileDatabase.Build(_dir, sql);

        var ex = Assert.Throws<CorruptDataException>(() => new MetadataReader(path));

        Assert.StartsWith("cannot read snapshot metadata: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_virtual_table_is_refused_as_one_however_its_statement_is_spelled()
    {
        var path = HostileDatabase.BuildRaw(_dir, "CREATE/**/VIRTUAL TABLE files USING fts5(id, path, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to);" + TablesButFiles);

        var ex = Assert.Throws<CorruptDataException>(() => new MetadataReader(path));

        Assert.Contains("unexpected virtual table files", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT, type TEXT, mode INTEGER, uid INTEGER, gid INTEGER, size INTEGER, mtime_ns INTEGER, link_target TEXT);")]
    [InlineData("CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT, type TEXT, mode INTEGER, uid INTEGER, gid INTEGER, size INTEGER, mtime_ns INTEGER, link_target TEXT, hardlink_to TEXT AS (upper(path)));")]
    [InlineData("CREATE VIEW files AS SELECT 1 AS id, 'x' AS path, 'file' AS type, 420 AS mode, 0 AS uid, 0 AS gid, 0 AS size, 0 AS mtime_ns, NULL AS link_target, NULL AS hardlink_to;")]
    [InlineData("CREATE VIRTUAL TABLE files USING fts5(id, path, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to);")]
    public void A_database_whose_files_table_is_missing_a_column_or_is_not_a_plain_table_is_refused(string files)
    {
        var path = HostileDatabase.BuildRaw(_dir, files + TablesButFiles);

        var ex = Assert.Throws<CorruptDataException>(() => new MetadataReader(path));

        Assert.StartsWith("cannot read snapshot metadata: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_the_same_message()
    {
        var path = Path.Combine(_dir, "garbage.db");
        File.WriteAllBytes(path, new byte[8192]);
        File.WriteAllText(path, "SQLite format 3\0" + new string('x', 5000));

        var ex = Assert.Throws<CorruptDataException>(() => new MetadataReader(path));

        Assert.StartsWith("cannot read snapshot metadata", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_schema_is_accepted()
    {
        using var reader = new MetadataReader(HostileDatabase.Build(_dir, string.Empty));

        Assert.Empty(reader.ReadEntryPage(null, 0, int.MaxValue));
    }
}
