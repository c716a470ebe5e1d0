using Microsoft.Data.Sqlite;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>An index left by the previous release (schema 1) does not break a run: it is upgraded once, with one notice.</summary>
public sealed class IndexUpgradeTests
{
    [Fact]
    public async Task A_schema_1_index_is_upgraded_with_one_notice_and_nothing_is_uploaded_again()
    {
        using var box = await Sandbox.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(box.Source, $"f{i}.txt"), $"file {i} " + new string((char)('a' + i), 5000));
        }

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var index = box.Dir.Combine("index.sqlite");
        RewriteAsSchema1(index);

        var upgraded = await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.Single(upgraded.StdErr.Split('\n'), line => line.Contains("upgraded the index from schema 1 to 2", StringComparison.Ordinal));
        Assert.Contains("0 blobs uploaded", upgraded.StdErr + upgraded.StdOut, StringComparison.Ordinal);
        Assert.Contains("3 new, 0 changed, 0 unchanged", upgraded.StdErr + upgraded.StdOut, StringComparison.Ordinal);

        var next = await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.DoesNotContain("upgraded the index", next.StdErr, StringComparison.Ordinal);
        Assert.Contains("0 new, 0 changed, 3 unchanged", next.StdErr + next.StdOut, StringComparison.Ordinal);
    }

    /// <summary>Turns a schema 2 index into the schema 1 layout the previous release wrote, with the same blobs and chunks.</summary>
    private static void RewriteAsSchema1(string path)
    {
        using (var db = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE blobs1 (hash BLOB PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO blobs1 SELECT hash, size FROM blobs;
                CREATE TABLE chunks1 (hash BLOB PRIMARY KEY, blob_hash BLOB NOT NULL, frame_offset INTEGER NOT NULL,
                    frame_length INTEGER NOT NULL, plain_length INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO chunks1 SELECT c.hash, b.hash, c.frame_offset, c.frame_length, c.plain_length FROM chunks c JOIN blobs b ON b.id = c.blob;
                DROP TABLE chunks; DROP TABLE blobs; DROP TABLE files; DROP TABLE dirs; DROP TABLE walks; DROP TABLE walk_dirs; DROP TABLE walk_names;
                ALTER TABLE blobs1 RENAME TO blobs; ALTER TABLE chunks1 RENAME TO chunks;
                CREATE INDEX chunks_by_blob ON chunks (blob_hash);
                CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
                    inode INTEGER NOT NULL, device INTEGER NOT NULL, chunks BLOB NOT NULL) WITHOUT ROWID;
                CREATE TABLE walks (name TEXT NOT NULL, seq INTEGER NOT NULL, end_seq INTEGER NOT NULL, path TEXT NOT NULL, type INTEGER NOT NULL,
                    mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, device INTEGER NOT NULL, nlink INTEGER NOT NULL, link_target TEXT,
                    PRIMARY KEY (name, seq)) WITHOUT ROWID;
                CREATE INDEX walks_by_path ON walks (name, path);
                UPDATE meta SET value = '1' WHERE key = 'schema_version';
                """;
            cmd.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
    }
}
