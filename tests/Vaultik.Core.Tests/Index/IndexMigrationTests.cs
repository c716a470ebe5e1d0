using Microsoft.Data.Sqlite;
using Vaultik.Core.Index;

namespace Vaultik.Core.Tests.Index;

/// <summary>An index written by the previous release (schema 1) keeps working: it is upgraded in place once.</summary>
public sealed class IndexMigrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-index-migration-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The schema 1 tables as the previous release created them, with two blobs, three chunks, a file and a walk.</summary>
    private string WriteSchema1Index(string version = "1")
    {
        var path = Path.Combine(_dir, "index.sqlite");
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE blobs (hash BLOB PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE chunks (
                hash BLOB PRIMARY KEY, blob_hash BLOB NOT NULL, frame_offset INTEGER NOT NULL,
                frame_length INTEGER NOT NULL, plain_length INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX chunks_by_blob ON chunks (blob_hash);
            CREATE TABLE files (
                path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
                inode INTEGER NOT NULL, device INTEGER NOT NULL, chunks BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE dirty_paths (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE);
            CREATE TABLE walks (
                name TEXT NOT NULL, seq INTEGER NOT NULL, end_seq INTEGER NOT NULL, path TEXT NOT NULL, type INTEGER NOT NULL,
                mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, size INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, device INTEGER NOT NULL,
                nlink INTEGER NOT NULL, link_target TEXT, PRIMARY KEY (name, seq)) WITHOUT ROWID;
            CREATE INDEX walks_by_path ON walks (name, path);
            INSERT INTO meta VALUES ('schema_version', $v), ('recipients', 'abc'), ('walk:home', 'sig');
            INSERT INTO blobs VALUES (x'0000000000000000000000000000000000000000000000000000000000000001', 1000), (x'0000000000000000000000000000000000000000000000000000000000000002', 2000);
            INSERT INTO chunks VALUES (x'0000000000000000000000000000000000000000000000000000000000000011', x'0000000000000000000000000000000000000000000000000000000000000001', 0, 10, 20),
                                      (x'0000000000000000000000000000000000000000000000000000000000000012', x'0000000000000000000000000000000000000000000000000000000000000001', 10, 10, 20),
                                      (x'0000000000000000000000000000000000000000000000000000000000000013', x'0000000000000000000000000000000000000000000000000000000000000002', 0, 10, 20);
            INSERT INTO files VALUES ('home/me/a.txt', 20, 1, 2, 3, 4, x'0000000000000000000000000000000000000000000000000000000000000011');
            INSERT INTO dirty_paths (path) VALUES ('/home/me/a.txt');
            INSERT INTO walks VALUES ('home', 1, 1, '/home/me', 1, 493, 0, 0, 0, 1, 2, 3, 4, 1, NULL);
            """;
        cmd.Parameters.AddWithValue("$v", version);
        cmd.ExecuteNonQuery();
        return path;
    }

    private static object? Scalar(string path, string sql)
    {
        using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    [Fact]
    public void A_schema_1_index_is_upgraded_once_keeping_its_dedup_cache_and_dropping_fingerprints_and_walks()
    {
        var path = WriteSchema1Index();
        var warnings = new List<string>();
        using (var index = LocalIndex.Open(path, warnings.Add))
        {
            Assert.Contains("upgraded the index from schema 1 to 2", Assert.Single(warnings), StringComparison.Ordinal);
            var hashes = index.Chunks.LoadHashes();
            Assert.Equal(3, hashes.Count);
            Assert.Contains(new Hash256([.. new byte[31], 0x13]), hashes);
            Assert.Null(index.Files.Find("home/me/a.txt"));
            index.Files.EndLookups();
            Assert.Null(index.Walks.OpenPrevious("home", "sig"));
            Assert.True(index.DirtyPaths.Any());

            // The blobs keep their chunks: forgetting one blob forgets exactly its own.
            var result = index.Chunks.Reconcile(new Dictionary<Hash256, long> { [new Hash256([.. new byte[31], 0x01])] = 1000 });
            Assert.Equal(new ReconcileResult(1, 1), result);
            Assert.Equal(2, index.Chunks.LoadHashes().Count);
        }

        Assert.Equal("2", Scalar(path, "SELECT value FROM meta WHERE key = 'schema_version';"));
        Assert.Equal(0L, Scalar(path, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v1' OR name = 'chunks_by_blob';"));
        var again = new List<string>();
        using (LocalIndex.Open(path, again.Add))
        {
            Assert.Empty(again);
        }
    }

    [Fact]
    public void An_index_of_an_unknown_schema_is_moved_aside_and_rebuilt_with_one_warning()
    {
        var path = WriteSchema1Index(version: "7");
        var warnings = new List<string>();
        using (var index = LocalIndex.Open(path, warnings.Add))
        {
            Assert.Empty(index.Chunks.LoadHashes());
        }

        Assert.Contains("unsupported index schema version 7", Assert.Single(warnings), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_dir, "index.sqlite.corrupt-*"));
    }
}
