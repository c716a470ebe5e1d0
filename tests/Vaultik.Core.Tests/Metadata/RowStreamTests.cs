using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Tests.Metadata;

/// <summary>The row stream's writer, strict parser and replay (docs/FORMAT.md, "Row stream").</summary>
public sealed class RowStreamTests : IDisposable
{
    private static readonly string H1 = new('1', 64), H2 = new('2', 64), B1 = new('b', 64);
    /// <summary>A format 3 header (15 columns): the malformed-stream cases below are format 3 streams, which are still read.</summary>
    private static readonly string Header = string.Join(',', RowStream.ColumnsV3) + "\n";

    /// <summary>The format 4 header, with the xattrs column.</summary>
    private static readonly string Header4 = string.Join(',', RowStream.Columns) + "\n";

    private static readonly string[] NastyPaths =
    [
        "r", "r/with,comma", "r/with \"quotes\"", "r/\"", "r/line\nbreak", "r/cr\rreturn", "r/ünï cødé 名前", "r/,\",\n,", "r/ lead and trail ",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("rowstream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Nasty_paths_round_trip_and_the_replay_rebuilds_the_same_rows()
    {
        var source = MakeSnapshotDb();
        var csv = Path.Combine(_dir, "entries.csv");
        using (var file = File.Create(csv))
        {
            RowStreamWriter.Write(source, file);
        }

        var text = File.ReadAllText(csv);
        Assert.StartsWith(Header4, text, StringComparison.Ordinal);
        Assert.Contains(",security.capability=AQAAAg== user.a%3Db%20c=AP8K user.empty=\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n", text.Replace("\r\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        var replayed = Path.Combine(_dir, "replayed.db");
        using (var db = Open(replayed))
        using (var input = File.OpenRead(csv))
        {
            RowStreamReplay.Replay(new RowStreamParser(input), db);
        }

        const string Files = "SELECT id, path, type, mode, uid, gid, size, mtime_ns, quote(link_target), quote(hardlink_to) FROM files ORDER BY id;";
        const string Chunks = "SELECT f.path, fc.seq, c.hash, c.blob_hash, c.frame_offset, c.frame_length, c.plain_length FROM file_chunks fc JOIN files f ON f.id = fc.file_id JOIN chunks c ON c.id = fc.chunk_id ORDER BY f.id, fc.seq;";
        Assert.Equal(Rows(source, Files), Rows(replayed, Files));
        Assert.Equal(Rows(source, Chunks), Rows(replayed, Chunks));
        const string Attributes = "SELECT file_id, hex(name), hex(value), typeof(value) FROM xattrs ORDER BY file_id, name;";
        Assert.Equal(Rows(source, Attributes), Rows(replayed, Attributes));
        Assert.Equal(4, Rows(replayed, Attributes).Count);
        Assert.Equal(2, Rows(replayed, "SELECT * FROM chunks;").Count);

        // The same rows write the same bytes.
        using var again = new MemoryStream();
        RowStreamWriter.Write(source, again);
        Assert.Equal(File.ReadAllBytes(csv), again.ToArray());
    }

    [Fact]
    public void The_sqlite3_shell_imports_the_stream_with_the_same_paths()
    {
        var csv = Path.Combine(_dir, "entries.csv");
        using (var file = File.Create(csv))
        {
            RowStreamWriter.Write(MakeSnapshotDb(), file);
        }

        var db = Path.Combine(_dir, "imported.db");
        var info = new ProcessStartInfo("sqlite3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { db, "-cmd", ".mode csv", $".import {csv} entries" })
        {
            info.ArgumentList.Add(arg);
        }

        using (var process = Process.Start(info)!)
        {
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, error);
        }

        var imported = Rows(db, "SELECT path FROM entries WHERE type != '' ORDER BY rowid;").Select(r => r[0]).ToList();
        Assert.Equal(NastyPaths.Concat(["r/link", "r/hard"]), imported);
        Assert.Equal(["0", "1", "0", "0"], Rows(db, "SELECT seq FROM entries WHERE seq != '' ORDER BY rowid;").Select(r => r[0]));
    }

    [Theory]
    [InlineData("path,type\n", "row 1 of the row stream: the header is not the format's")]
    [InlineData("", "row 1 of the row stream: the header is not the format's")]
    [InlineData("H|r,dir,493,0,0,0,1,,,,,,,,", "row 2 of the row stream: the last row does not end with a newline")]
    [InlineData("H|r,dir,493,0,0,0,1,,,,,,,,,\n", "row 2 of the row stream: more than 15 fields")]
    [InlineData("H|r,dir,493,0,0,0,1,,,,,,,\n", "row 2 of the row stream: 14 fields, not 15")]
    [InlineData("H|\"r,dir,493,0,0,0,1,,,,,,,,\n", "a quoted field is not closed")]
    [InlineData("H|\"r\"x,dir,493,0,0,0,1,,,,,,,,\n", "text after a closing quote")]
    [InlineData("H|r\"x,dir,493,0,0,0,1,,,,,,,,\n", "a quote inside an unquoted field")]
    [InlineData("H|r,dir,493,0,0,0,1,,,,,,,,\r\n", "a carriage return outside quotes")]
    [InlineData("H|r,dir,0493,0,0,0,1,,,,,,,,\n", "column mode is not a decimal integer")]
    [InlineData("H|r,dir,+493,0,0,0,1,,,,,,,,\n", "column mode is not a decimal integer")]
    [InlineData("H|r,dir,493,0,0,0,99999999999999999999,,,,,,,,\n", "column mtime_ns is not a decimal integer")]
    [InlineData("H|r,dir,493,0,0,0,\"1\",,,,,,,,\n", "column mtime_ns is not a decimal integer")]
    [InlineData("H|r,fifo,493,0,0,0,1,,,,,,,,\n", "unknown type 'fifo'")]
    [InlineData("H|r/../x,dir,493,0,0,0,1,,,,,,,,\n", "row 2 of the row stream: the path 'r/../x' breaks the path rule")]
    [InlineData("H|/abs,dir,493,0,0,0,1,,,,,,,,\n", "breaks the path rule")]
    [InlineData("H|r,dir,493,0,0,0,1,,,,,,,,\n\"r\",dir,493,0,0,0,1,,,,,,,,\n", "the path 'r' appears twice")]
    [InlineData("H|\"a\nb\",fifo,493,0,0,0,1,,,,,,,,\n", "unknown type 'fifo'")]
    [InlineData("H|\"a\nb\",dir,493,0,0,0,1,,,,,,,,\n\"a\nb\",dir,493,0,0,0,1,,,,,,,,\n", "row 3 of the row stream: the path 'a\\x0ab' appears twice")]
    [InlineData("H|r,dir,493,0,0,0,1,,,,,,,,\nr,dir,493,0,0,0,1,,,,,,,,\n", "row 3 of the row stream: the path 'r' appears twice")]
    [InlineData("H|r,symlink,511,0,0,1,1,,,,,,,,\n", "link_target or hardlink_to does not fit")]
    [InlineData("H|r,dir,493,0,0,0,1,,r2,,,,,,\n", "link_target or hardlink_to does not fit")]
    [InlineData("H|r,dir,493,0,0,0,1,,,0,,,,,\n", "an entry row with a value in column seq")]
    [InlineData("H|r,dir,493,0,0,0,1,,,,,,,,\nr,,,,,,,,,0,H1,B1,0,10,5\n", "row 3 of the row stream: a chunk row that does not follow its regular file's entry row")]
    [InlineData("H|r,file,420,0,0,5,1,,,,,,,,\nq,,,,,,,,,0,H1,B1,0,10,5\n", "a chunk row that does not follow")]
    [InlineData("H|r,file,420,0,0,5,1,,,,,,,,\nr,,,,,,,,,1,H1,B1,0,10,5\n", "chunk seq 1 where 0 was due")]
    [InlineData("H|r,file,420,0,0,5,1,,,,,,,,\nr,,,,,,,,,0,XX,B1,0,10,5\n", "column chunk_hash is not a SHA-256")]
    [InlineData("H|r,file,420,0,0,5,1,,,,,,,,\nr,,,,,,,,,0,H1,B1,0,10,5\nr,,,,,,,,,1,H1,B1,20,10,5\n", "row 4 of the row stream: chunk 1111")]
    [InlineData("H|r,file,420,0,0,5,1,,,,,,,,\nr,,420,,,,,,,0,H1,B1,0,10,5\n", "a chunk row with a value in column mode")]
    public void Malformed_streams_are_refused_naming_the_row(string stream, string expected)
    {
        var text = stream.Replace("H|", Header, StringComparison.Ordinal).Replace("H1", H1, StringComparison.Ordinal).Replace("B1", B1, StringComparison.Ordinal);
        var error = Assert.Throws<CorruptDataException>(() => Replay(Encoding.UTF8.GetBytes(text)));
        Assert.StartsWith("cannot read snapshot metadata: row ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("r,dir,493,0,0,0,1,,,,,,,,\n", "15 fields, not 16")]
    [InlineData("r,dir,493,0,0,0,1,,,,,,,,,other.x=AA==\n", "of a namespace that is not stored")]
    [InlineData("r,dir,493,0,0,0,1,,,,,,,,,user.x=AA== \n", "of a namespace that is not stored")]
    [InlineData("r,dir,493,0,0,0,1,,,,,,,,,user.x=A\n", "is not base64")]
    [InlineData("r,dir,493,0,0,0,1,,,,,,,,,user.b=AA== user.a=AA==\n", "not in strictly ascending name order")]
    [InlineData("r,dir,493,0,0,0,1,,,,,,,,,user.a=AA== user.a=AA==\n", "not in strictly ascending name order")]
    [InlineData("r,dir,493,0,0,0,1,,,,,,,,,user.%61=AA==\n", "canonical encoding")]
    [InlineData("r,dir,493,0,0,0,1,,,,,,,,,user.x%2=AA==\n", "malformed")]
    [InlineData("r,file,420,0,0,5,1,,,,,,,,,\nr,,,,,,,,,0,H1,B1,0,10,5,user.x=AA==\n", "a chunk row with a value in column xattrs")]
    public void Malformed_xattrs_in_a_format_4_stream_are_refused(string rows, string expected)
    {
        var text = (Header4 + rows).Replace("H1", H1, StringComparison.Ordinal).Replace("B1", B1, StringComparison.Ordinal);
        var error = Assert.Throws<CorruptDataException>(() => Replay(Encoding.UTF8.GetBytes(text)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_above_64_KiB_is_refused_and_one_of_64_KiB_is_read()
    {
        var max = Convert.ToBase64String(new byte[64 << 10]);
        Replay(Encoding.UTF8.GetBytes(Header4 + $"r,dir,493,0,0,0,1,,,,,,,,,user.x={max}\n"));
        var over = Convert.ToBase64String(new byte[(64 << 10) + 1]);
        Assert.Contains("not base64 of at most 65536 bytes", Assert.Throws<CorruptDataException>(() => Replay(Encoding.UTF8.GetBytes(Header4 + $"r,dir,493,0,0,0,1,,,,,,,,,user.x={over}\n"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_UTF8_and_over_long_fields_are_refused()
    {
        var invalid = Encoding.UTF8.GetBytes(Header + "r\u00ff,dir,493,0,0,0,1,,,,,,,,\n");
        var bad = Array.IndexOf(invalid, (byte)0xC3, Header.Length);
        invalid[bad] = 0xFF;
        Assert.Contains("not valid UTF-8", Assert.Throws<CorruptDataException>(() => Replay(invalid)).Message, StringComparison.Ordinal);

        var longField = Encoding.UTF8.GetBytes(Header + "r/" + new string('x', RowStream.MaxFieldBytes) + ",dir,493,0,0,0,1,,,,,,,,\n");
        Assert.Contains($"a field longer than {RowStream.MaxFieldBytes} bytes", Assert.Throws<CorruptDataException>(() => Replay(longField)).Message, StringComparison.Ordinal);
    }

    private void Replay(byte[] stream)
    {
        using var db = Open(Path.Combine(_dir, $"{Guid.NewGuid():N}.db"));
        RowStreamReplay.Replay(new RowStreamParser(new MemoryStream(stream)), db);
    }

    /// <summary>A snapshot database with every nasty path (directories, files with two chunks sharing one), a symlink and a hard link.</summary>
    private string MakeSnapshotDb()
    {
        var path = Path.Combine(_dir, "source.db");
        using var db = Open(path);
        Exec(db, MetadataSchema.Create);
        var id = 0;
        foreach (var p in NastyPaths)
        {
            var file = p.Contains('"', StringComparison.Ordinal);
            Exec(db, $"INSERT INTO files VALUES ({++id}, $p, '{(file ? "file" : "dir")}', {(file ? 420 : 493)}, 1000, 1000, {(file ? 15 : 0)}, 1700000000123456789, NULL, NULL);", p);
            if (file && id == 3)
            {
                Exec(db, $"INSERT INTO file_chunks VALUES ({id}, 0, 1), ({id}, 1, 2);");
            }
            else if (file)
            {
                Exec(db, $"INSERT INTO file_chunks VALUES ({id}, 0, 1);");
            }
        }

        Exec(db, $"INSERT INTO files VALUES ({++id}, 'r/link', 'symlink', 511, 0, 0, 6, -5, '../t,\"x\"', NULL);");
        Exec(db, $"INSERT INTO files VALUES ({++id}, 'r/hard', 'file', 420, 0, 0, 15, 0, NULL, 'r/with \"quotes\"');");
        Exec(db, $"INSERT INTO chunks VALUES (1, '{H1}', '{B1}', 0, 20, 10), (2, '{H2}', '{B1}', 20, 20, 5);");
        Exec(db, $"INSERT INTO blobs VALUES ('{B1}', 100);");
        Exec(db, "INSERT INTO xattrs VALUES (1, CAST('user.a=b c' AS BLOB), x'00ff0a'), (1, CAST('security.capability' AS BLOB), x'01000002'), (1, CAST('user.empty' AS BLOB), x''), (10, CAST('trusted.x' AS BLOB), x'79');");
        return path;
    }

    private static SqliteConnection Open(string path)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = false }.ToString());
        db.Open();
        return db;
    }

    private static void Exec(SqliteConnection db, string sql, string? p = null)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        if (p is not null)
        {
            cmd.Parameters.AddWithValue("$p", p);
        }

        cmd.ExecuteNonQuery();
    }

    private static List<string[]> Rows(string path, string sql)
    {
        using var db = Open(path);
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<string[]>();
        while (r.Read())
        {
            rows.Add(Enumerable.Range(0, r.FieldCount).Select(i => Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToArray());
        }

        return rows;
    }
}
