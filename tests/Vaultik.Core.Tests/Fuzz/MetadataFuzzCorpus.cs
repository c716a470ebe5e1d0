using System.Globalization;
using Microsoft.Data.Sqlite;
using Vaultik.Core.Metadata;
using Vaultik.Tests.Fuzz;

namespace Vaultik.Core.Tests.Fuzz;

/// <summary>The metadata databases the metadata fuzz target starts from, and its structured row mutations.</summary>
internal static class MetadataFuzzCorpus
{
    private const string LooseSchema = """
        CREATE TABLE snapshot (key, value);
        CREATE TABLE files (id, path, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to);
        CREATE TABLE file_chunks (file_id, seq, chunk_id);
        CREATE TABLE chunks (id, hash, blob_hash, frame_offset, frame_length, plain_length);
        CREATE TABLE blobs (hash, size);
        """;

    private static readonly string[] Tables = ["snapshot", "files", "file_chunks", "chunks", "blobs"];

    private static readonly Dictionary<string, string[]> Columns = new()
    {
        ["snapshot"] = ["key", "value"],
        ["files"] = ["id", "path", "type", "mode", "uid", "gid", "size", "mtime_ns", "link_target", "hardlink_to"],
        ["file_chunks"] = ["file_id", "seq", "chunk_id"],
        ["chunks"] = ["id", "hash", "blob_hash", "frame_offset", "frame_length", "plain_length"],
        ["blobs"] = ["hash", "size"],
    };

    private static readonly string[] Values =
    [
        "NULL", "''", "'x'", "X'00FF'", "-1", "0", "1", "2", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "-9223372036854775808", "1e308", "-0.5", "'file'", "'dir'", "'symlink'", "'a' || char(0) || 'b'", "char(27) || '[2J'",
        "'../../etc/passwd'", "'/abs'", "hex(randomblob(8))", "'" + new string('a', 64) + "'", "'" + new string('b', 64) + "'",
    ];

    /// <summary>A metadata database with the real schema: files, a link, a directory, chunks in one blob.</summary>
    public static byte[] Real { get; } = FuzzFiles.CorpusFile("metadata", "real.db", () => Build(MetadataSchema.Create));

    /// <summary>The same rows under the attacker's own schema (no types, no constraints).</summary>
    public static byte[] Loose { get; } = FuzzFiles.CorpusFile("metadata", "loose.db", () => Build(LooseSchema));

    /// <summary>One random hostile change to the rows or schema, as SQL.</summary>
    public static string RowMutation(FuzzMutator mutator)
    {
        var random = mutator.Random;
        var table = Tables[random.Next(Tables.Length)];
        var columns = Columns[table];
        var value = random.Next(4) == 0 ? mutator.InterestingInteger().ToString(CultureInfo.InvariantCulture) : Values[random.Next(Values.Length)];
        return random.Next(12) switch
        {
            0 => $"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} LIMIT 1 OFFSET {random.Next(3)});",
            1 => $"INSERT INTO {table} SELECT * FROM {table} LIMIT 1 OFFSET {random.Next(3)};",
            2 => $"DROP TABLE {table};",
            3 => $"UPDATE {table} SET {columns[random.Next(columns.Length)]} = {value}, {columns[random.Next(columns.Length)]} = {Values[random.Next(Values.Length)]};",
            _ => $"UPDATE {table} SET {columns[random.Next(columns.Length)]} = {value} WHERE rowid IN (SELECT rowid FROM {table} LIMIT 1 OFFSET {random.Next(4)});",
        };
    }

    /// <summary>A copy of <paramref name="database"/> with <paramref name="sql"/> applied.</summary>
    public static byte[] Apply(byte[] database, string sql)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vaultik-fuzz-{Guid.NewGuid():N}.db");
        File.WriteAllBytes(path, database);
        try
        {
            using (var db = Open(path))
            {
                Exec(db, sql);
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Build(string schema)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vaultik-fuzz-{Guid.NewGuid():N}.db");
        try
        {
            using (var db = Open(path))
            {
                Exec(db, "PRAGMA page_size=1024; PRAGMA journal_mode=OFF;");
                Exec(db, schema);
                var a = new string('a', 64);
                var b = new string('b', 64);
                var c = new string('c', 64);
                Exec(db, $"""
                    INSERT INTO snapshot VALUES ('format_version', '2'), ('hostname', 'host');
                    INSERT INTO files VALUES (1, 'dir', 'dir', 493, 0, 0, 0, 1000000000, NULL, NULL);
                    INSERT INTO files VALUES (2, 'dir/a.txt', 'file', 420, 1000, 1000, 700, 2000000000, NULL, NULL);
                    INSERT INTO files VALUES (3, 'dir/b.bin', 'file', 420, 0, 0, 3700, 2000000000, NULL, NULL);
                    INSERT INTO files VALUES (4, 'link', 'symlink', 511, 0, 0, 9, 0, 'dir/a.txt', NULL);
                    INSERT INTO files VALUES (5, 'hard', 'file', 420, 0, 0, 700, 0, NULL, 'dir/a.txt');
                    INSERT INTO file_chunks VALUES (2, 0, 1), (3, 0, 1), (3, 1, 2);
                    INSERT INTO chunks VALUES (1, '{a}', '{c}', 0, 40, 700), (2, '{b}', '{c}', 40, 120, 3000);
                    INSERT INTO blobs VALUES ('{c}', 400);
                    """);
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
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
