using Microsoft.Data.Sqlite;
using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Restore;
using Vaultik.Core.Storage;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Restore;

/// <summary>Metadata written by an attacker must not make a restore write outside its target.</summary>
public sealed class HostileMetadataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string BuildDatabase(string outside)
    {
        var path = Path.Combine(_dir, "evil.db");
        using var db = new SqliteConnection($"Data Source={path};Pooling=false");
        db.Open();
        using var cmd = db.CreateCommand();
        // The attacker's own schema: no UNIQUE on paths.
        cmd.CommandText = $"""
            CREATE TABLE snapshot (key TEXT, value TEXT);
            CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT, type TEXT, mode INTEGER, uid INTEGER, gid INTEGER, size INTEGER, mtime_ns INTEGER, link_target TEXT, hardlink_to TEXT);
            CREATE TABLE file_chunks (file_id INTEGER, seq INTEGER, chunk_id INTEGER);
            CREATE TABLE chunks (id INTEGER, hash TEXT, blob_hash TEXT, frame_offset INTEGER, frame_length INTEGER, plain_length INTEGER);
            INSERT INTO snapshot VALUES ('format_version', '2');
            CREATE TABLE blobs (hash TEXT, size INTEGER);
            INSERT INTO files VALUES (1, '{outside.TrimStart('/')}/x', 'dir', 448, 0, 0, 0, 0, NULL, NULL);
            INSERT INTO files VALUES (2, '/etc/evil-absolute', 'file', 420, 0, 0, 0, 0, NULL, NULL);
            INSERT INTO files VALUES (3, 'a/../../evil-dotdot', 'file', 420, 0, 0, 0, 0, NULL, NULL);
            INSERT INTO files VALUES (4, 'dup', 'file', 420, 0, 0, 0, 0, NULL, NULL);
            INSERT INTO files VALUES (5, 'dup', 'file', 420, 0, 0, 0, 0, NULL, NULL);
            INSERT INTO files VALUES (6, 'escape', 'symlink', 511, 0, 0, 0, 0, '{outside}', NULL);
            INSERT INTO files VALUES (7, 'escape/evil-through-link', 'file', 420, 0, 0, 0, 0, NULL, NULL);
            INSERT INTO files VALUES (8, 'device', 'chardev', 420, 0, 0, 0, 0, NULL, NULL);
            INSERT INTO files VALUES (9, 'huge', 'file', 420, 0, 0, 1000000000000000, 0, NULL, NULL);
            INSERT INTO files VALUES (10, 'ok.txt', 'file', 420, 0, 0, 0, 1000000000, NULL, NULL);
            INSERT INTO files VALUES (11, 'hardlink-out', 'file', 420, 0, 0, 0, 0, NULL, '../../etc/passwd');
            INSERT INTO files VALUES (12, 'many-chunks', 'file', 420, 0, 0, 5, 0, NULL, NULL);
            INSERT INTO file_chunks VALUES (12, 0, 999);
            """;
        cmd.ExecuteNonQuery();
        return path;
    }

    [Fact]
    public async Task Every_hostile_entry_is_refused_or_skipped_and_nothing_is_written_outside_the_target()
    {
        var outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(outside);
        var target = Path.Combine(_dir, "target");
        using var snapshot = new MetadataReader(BuildDatabase(outside));
        var errors = new List<string>();
        var restorer = new Restorer(new MemoryObjectStore(), [X25519Identity.Generate()]);

        var result = await restorer.RestoreAsync(snapshot, new RestoreOptions(target, [], Overwrite: false) { RestoreOwnership = false }, new RestoreStats(), errors.Add, CancellationToken.None);

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(File.Exists("/etc/evil-absolute"));
        Assert.False(File.Exists(Path.Combine(_dir, "evil-dotdot")));
        Assert.True(File.Exists(Path.Combine(target, "ok.txt")));
        Assert.False(result.Ok);
        Assert.Contains(errors, e => e.Contains("absolute path", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'..'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("duplicate path", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unsupported entry type", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("huge", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("hard link target", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("many-chunks", StringComparison.Ordinal));
        var escape = new FileInfo(Path.Combine(target, "escape"));
        Assert.True(escape.LinkTarget is null, "the escape symlink must not have been created over the directory its files needed");
        foreach (var file in Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories))
        {
            Assert.StartsWith(target, Path.GetFullPath(file));
        }
    }
}
