using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Restore;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Restore;

/// <summary>
/// Hostile values in single entries are refused one by one with a message naming the entry; the rest of the
/// snapshot restores and nothing crashes, exhausts memory or writes a file that was not really restored.
/// </summary>
public sealed class HostileEntryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(RestoreResult Result, List<string> Errors, string Target)> RestoreAsync(string sql)
    {
        var target = Path.Combine(_dir, "target");
        using var snapshot = new MetadataReader(HostileDatabase.Build(_dir, sql));
        var errors = new List<string>();
        var restorer = new Restorer(new MemoryObjectStore(), [X25519Identity.Generate()]);
        var result = await restorer.RestoreAsync(snapshot, new RestoreOptions(target, [], Overwrite: false) { RestoreOwnership = false }, new RestoreStats(), errors.Add, CancellationToken.None);
        return (result, errors, target);
    }

    private static string File(long id, string path, long size, long mode = 420, long uid = 0) =>
        $"INSERT INTO files VALUES ({id}, '{path}', 'file', {mode}, {uid}, 0, {size}, 0, NULL, NULL);";

    private static string Chunk(long id, string blob, long offset, long frame, long plain, string? hash = null) =>
        $"INSERT INTO chunks VALUES ({id}, '{hash ?? HostileDatabase.Chunk}', '{blob}', {offset}, {frame}, {plain});";

    private static string Uses(long file, long chunk) => $"INSERT INTO file_chunks VALUES ({file}, 0, {chunk});";

    [Fact]
    public async Task A_file_whose_blob_row_has_an_unparsable_hash_is_refused_not_left_zero_filled()
    {
        var (result, errors, target) = await RestoreAsync(
            File(1, "zeros.txt", 5) + Chunk(1, "NOT-A-HASH", 0, 10, 5) + Uses(1, 1) + "INSERT INTO blobs VALUES ('NOT-A-HASH', 1000);"
            + File(2, "ok.txt", 0));

        Assert.False(result.Ok);
        Assert.Contains(errors, e => e.StartsWith("cannot restore zeros.txt:", StringComparison.Ordinal));
        Assert.False(System.IO.File.Exists(Path.Combine(target, "zeros.txt")));
        Assert.True(System.IO.File.Exists(Path.Combine(target, "ok.txt")));
    }

    [Fact]
    public async Task Overflowing_out_of_range_and_dangling_chunk_rows_are_refused_per_file()
    {
        var blob = HostileDatabase.Blob;
        var missing = new string('b', 64);
        var sql = $"INSERT INTO blobs VALUES ('{blob}', 1000);" + $"INSERT INTO blobs VALUES ('{new string('d', 64)}', -5);"
            + File(1, "overflow", 5) + Chunk(1, blob, long.MaxValue, 10, 5) + Uses(1, 1)
            + File(2, "beyond-blob", 5) + Chunk(2, blob, 2000, 10, 5) + Uses(2, 2)
            + File(3, "negative-offset", 5) + Chunk(3, blob, -10, 10, 5) + Uses(3, 3)
            + File(4, "plain-too-long", 100_000_000) + Chunk(4, blob, 0, 10, 100_000_000) + Uses(4, 4)
            + File(5, "frame-too-long", 5) + Chunk(5, blob, 0, 3_000_000_000, 5) + Uses(5, 5)
            + File(6, "plain-beyond-int", 5_000_000_000) + Chunk(6, blob, 0, 10, 5_000_000_000) + Uses(6, 6)
            + File(7, "no-blob-row", 5) + Chunk(7, missing, 0, 10, 5) + Uses(7, 7)
            + File(8, "bad-chunk-hash", 5) + Chunk(8, blob, 0, 10, 5, hash: "xyz") + Uses(8, 8)
            + File(9, "negative-size", -1)
            + File(10, "huge-size", long.MaxValue)
            + File(11, "huge-mode", 0, mode: 1L << 40)
            + File(12, "negative-uid", 0, uid: -5)
            + File(13, "negative-blob-size", 5) + Chunk(13, new string('d', 64), 0, 10, 5) + Uses(13, 13)
            + File(14, "zero-frame", 5) + Chunk(14, blob, 0, 0, 5) + Uses(14, 14)
            + "INSERT INTO files VALUES (15, 'nul-link', 'symlink', 511, 0, 0, 3, 0, 'a' || char(0) || 'b', NULL);"
            + "INSERT INTO files VALUES (16, 'esc-link', 'symlink', 511, 0, 0, 3, 0, 'a' || char(27) || '[2J', NULL);"
            + "INSERT INTO files VALUES (17, 'new' || char(10) || 'line', 'file', 420, 0, 0, 0, 0, NULL, NULL);"
            + "INSERT INTO files VALUES (18, 'long-link', 'symlink', 511, 0, 0, 3, 0, printf('%.5000c', 'x'), NULL);"
            + File(19, "ok.txt", 0)
            + "INSERT INTO files VALUES (20, 'good-link', 'symlink', 511, 0, 0, 6, 0, 'ok.txt', NULL);";

        var (result, errors, target) = await RestoreAsync(sql);

        Assert.False(result.Ok);
        foreach (var name in new[]
        {
            "overflow", "beyond-blob", "negative-offset", "plain-too-long", "frame-too-long", "plain-beyond-int", "no-blob-row",
            "bad-chunk-hash", "negative-size", "huge-size", "huge-mode", "negative-uid", "negative-blob-size", "zero-frame",
            "nul-link", "esc-link", "long-link",
        })
        {
            Assert.Contains(errors, e => e.StartsWith($"cannot restore {name}:", StringComparison.Ordinal));
            Assert.False(Path.Exists(Path.Combine(target, name)), name);
        }

        Assert.DoesNotContain(errors, e => e.Contains("need blob", StringComparison.Ordinal));
        Assert.True(System.IO.File.Exists(Path.Combine(target, "ok.txt")));
        Assert.Equal("ok.txt", new FileInfo(Path.Combine(target, "good-link")).LinkTarget);

        // A newline is legal in a Linux name: an honest file named so restores (output escapes it).
        Assert.DoesNotContain(errors, e => e.StartsWith("cannot restore new\nline:", StringComparison.Ordinal));
        Assert.True(System.IO.File.Exists(Path.Combine(target, "new\nline")));
    }

    [Fact]
    public async Task Entries_with_values_of_the_wrong_sqlite_type_are_refused_per_entry()
    {
        var (result, errors, target) = await RestoreAsync(
            "INSERT INTO files VALUES (1, 'text-size', 'file', 420, 0, 0, 'lots', 0, NULL, NULL);"
            + "INSERT INTO files VALUES (2, CAST('blob-path' AS BLOB), 'file', 420, 0, 0, 0, 0, NULL, NULL);"
            + "INSERT INTO files VALUES (3, x'ff00', 'file', 420, 0, 0, 0, 0, NULL, NULL);"
            + File(4, "ok.txt", 0));

        Assert.False(result.Ok);
        Assert.Contains(errors, e => e.StartsWith("cannot restore text-size:", StringComparison.Ordinal));
        Assert.Equal(3, errors.Count);
        Assert.True(System.IO.File.Exists(Path.Combine(target, "ok.txt")));
    }
}
