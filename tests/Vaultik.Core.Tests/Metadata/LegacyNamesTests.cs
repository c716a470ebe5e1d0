using System.Text;
using Microsoft.Data.Sqlite;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Tests.Metadata;

/// <summary>
/// Format 2 and 3 snapshots hold UTF-8 names with '\' literal; once read they are in the escaped form of names
/// (a backslash doubled), so a name with a backslash restores as itself; format 4 streams must be canonical already.
/// </summary>
public sealed class LegacyNamesTests : IDisposable
{
    private const string Rows3 = "r,dir,493,0,0,0,1,,,,,,,,\n"
        + "r/a\\b,symlink,511,0,0,3,1,t\\u,,,,,,,\n"
        + "r/x\\xff,dir,493,0,0,0,1,,,,,,,,\n";

    /// <summary>A format 3 stream: 15 columns, no xattrs.</summary>
    private static readonly string Stream = string.Join(',', RowStream.ColumnsV3) + "\n" + Rows3;

    /// <summary>The same rows as format 4 (an empty xattrs field added to each).</summary>
    private static readonly string Stream4 = string.Join(',', RowStream.Columns) + "\n" + Rows3.Replace("\n", ",\n", StringComparison.Ordinal);

    private readonly string _dir = Directory.CreateTempSubdirectory("legacy-names-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_format_3_stream_has_its_backslashes_escaped_when_replayed()
    {
        var path = Path.Combine(_dir, "v3.db");
        using (var db = Open(path))
        {
            RowStreamReplay.Replay(new RowStreamParser(new MemoryStream(Encoding.UTF8.GetBytes(Stream))), db, literalBackslashes: true);
        }

        Assert.Equal(["r||", @"r/a\\b|t\\u|", @"r/x\\xff||"], Rows(path));
    }

    [Fact]
    public void A_format_4_stream_with_a_lone_backslash_is_refused()
    {
        using var db = Open(Path.Combine(_dir, "v4.db"));
        var error = Assert.Throws<CorruptDataException>(() => RowStreamReplay.Replay(new RowStreamParser(new MemoryStream(Encoding.UTF8.GetBytes(Stream4))), db));
        Assert.Contains("NotCanonical", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_2_database_has_its_backslashes_escaped_in_place()
    {
        var path = Path.Combine(_dir, "v2.db");
        using (var db = Open(path))
        {
            Exec(db, MetadataSchema.Create);
            Exec(db, """
                INSERT INTO snapshot VALUES ('format_version', '2');
                INSERT INTO files (id, path, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to) VALUES
                  (1, 'r', 'dir', 493, 0, 0, 0, 1, NULL, NULL),
                  (2, 'r/a\b', 'symlink', 511, 0, 0, 3, 1, 't\u', NULL),
                  (3, 'r/x\xff', 'file', 420, 0, 0, 0, 1, NULL, NULL),
                  (4, 'r/h', 'file', 420, 0, 0, 0, 1, NULL, 'r/x\xff');
                """);
        }

        LegacyNames.EscapeInPlace(path);
        Assert.Equal(["r||", @"r/a\\b|t\\u|", @"r/x\\xff||", @"r/h||r/x\\xff"], Rows(path));
    }

    private static List<string> Rows(string path)
    {
        using var db = Open(path);
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT path || '|' || coalesce(link_target, '') || '|' || coalesce(hardlink_to, '') FROM files ORDER BY id;";
        using var r = cmd.ExecuteReader();
        var rows = new List<string>();
        while (r.Read())
        {
            rows.Add(r.GetString(0));
        }

        return rows;
    }

    private static SqliteConnection Open(string path)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = false }.ToString());
        db.Open();
        return db;
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
