using System.Security.Cryptography;
using Vaultik.Age;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Core.Restore;
using Vaultik.Core.Verify;
using Vaultik.Testing;
using ZstdSharp;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Core.Tests.Restore;

/// <summary>A hostile db.zst.age: decompression is bounded, and verify and fetch report bad rows instead of crashing.</summary>
public sealed class HostileMetadataObjectTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-hostile-").FullName;
    private readonly X25519Identity _key = X25519Identity.Generate();
    private readonly MemoryObjectStore _store = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Stores age(zstd(<paramref name="plain"/> written by the callback)) as a snapshot's metadata; returns its manifest.</summary>
    private async Task<SnapshotManifest> StoreMetadataAsync(Func<Stream, Task> plain, long fileCount = 1, IReadOnlyList<ManifestBlob>? blobs = null)
    {
        const string id = "2026-01-01-000000-host-evil-0000";
        using var encrypted = new MemoryStream();
        await using (var age = AgeFile.Encrypt(encrypted, [_key.Recipient], leaveOpen: true))
        await using (var zstd = new CompressionStream(age, 19, leaveOpen: true))
        {
            await plain(zstd);
        }

        var bytes = encrypted.ToArray();
        await _store.PutAsync(StoreLayout.MetadataKey(id), new MemoryStream(bytes));
        return new SnapshotManifest(2, id, "host", "evil", DateTimeOffset.UnixEpoch, fileCount, 0,
            Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, blobs ?? []);
    }

    /// <summary>A database that names the snapshot as its manifest does (so only its other rows are hostile), then <paramref name="sql"/>.</summary>
    private Task<SnapshotManifest> StoreDatabaseAsync(string sql, IReadOnlyList<ManifestBlob>? blobs = null) =>
        StoreMetadataAsync(async s =>
        {
            const string info = "INSERT INTO snapshot VALUES ('id', '2026-01-01-000000-host-evil-0000'), ('hostname', 'host'), ('name', 'evil'), ('created', '1970-01-01T00:00:00.0000000+00:00');";
            await using var db = File.OpenRead(HostileDatabase.Build(_dir, info + sql, "source.db"));
            await db.CopyToAsync(s);
        }, blobs: blobs);

    [Fact]
    public async Task A_zstd_bomb_stops_at_the_documented_limit_with_a_clear_error()
    {
        var manifest = await StoreMetadataAsync(async s =>
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 512; i++)
            {
                await s.WriteAsync(zeros);
            }
        });
        var limit = MetadataDownloader.MaxPlainBytes(manifest);
        Assert.True(limit < 512L << 20, $"limit {limit}");

        var work = Path.Combine(_dir, "work");
        var ex = await Assert.ThrowsAsync<CorruptDataException>(() => MetadataDownloader.DownloadAsync(_store, manifest, [_key], work, CancellationToken.None));

        Assert.StartsWith($"cannot decompress metadata {StoreLayout.MetadataKey(manifest.Id)}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(work));
    }

    [Fact]
    public async Task Deep_verify_reports_hostile_chunk_rows_instead_of_crashing()
    {
        var blob = HostileDatabase.Blob;
        var manifest = await StoreDatabaseAsync(
            $"INSERT INTO blobs VALUES ('{blob}', 1000); INSERT INTO blobs VALUES ('NOT-A-HASH', 10);"
            + "INSERT INTO files VALUES (1, 'f', 'file', 420, 0, 0, 5, 0, NULL, NULL); INSERT INTO file_chunks VALUES (1, 0, 1);"
            + $"INSERT INTO chunks VALUES (1, '{HostileDatabase.Chunk}', '{blob}', 9223372036854775807, 3000000000, 5);"
            + $"INSERT INTO chunks VALUES (2, '{HostileDatabase.Chunk}', 'NOT-A-HASH', 0, 10, 99999999999);"
            + "INSERT INTO files VALUES (2, 'g', 'file', 420, 0, 0, 9223372036854775807, 0, NULL, NULL); INSERT INTO file_chunks VALUES (2, 0, 1); INSERT INTO file_chunks VALUES (2, 1, 1);",
            [new ManifestBlob(blob, 1000)]);

        var report = await new Verifier(_store).VerifyAsync([manifest], new VerifyOptions(true, [_key]), reportStoreWide: false, CancellationToken.None);

        Assert.Contains(report.Problems, p => p.Problem.Contains("file f ", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Problem.Contains("file g ", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Problem.Contains("chunk", StringComparison.Ordinal) && p.Object == StoreLayout.MetadataKey(manifest.Id));
    }

    [Fact]
    public async Task Deep_verify_reports_a_database_with_a_hostile_schema_instead_of_crashing()
    {
        var manifest = await StoreDatabaseAsync("CREATE TRIGGER t AFTER INSERT ON blobs BEGIN DELETE FROM files; END;");

        var report = await new Verifier(_store).VerifyAsync([manifest], new VerifyOptions(true, [_key]), reportStoreWide: false, CancellationToken.None);

        Assert.Contains(report.Problems, p => p.Problem.StartsWith("cannot read snapshot metadata: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetch_reports_a_file_whose_blob_row_does_not_parse()
    {
        var manifest = await StoreDatabaseAsync(
            "INSERT INTO blobs VALUES ('NOT-A-HASH', 1000); INSERT INTO files VALUES (1, 'f', 'file', 420, 0, 0, 5, 0, NULL, NULL);"
            + $"INSERT INTO file_chunks VALUES (1, 0, 1); INSERT INTO chunks VALUES (1, '{HostileDatabase.Chunk}', 'NOT-A-HASH', 0, 10, 5);",
            [new ManifestBlob("NOT-A-HASH", 1000)]);

        var ex = await Assert.ThrowsAsync<CorruptDataException>(() => new Fetch(_store, [_key]).RunAsync(manifest, "f", null, Stream.Null, Path.Combine(_dir, "fetch"), CancellationToken.None));

        Assert.Equal("cannot fetch f: its chunk list in the metadata is inconsistent", ex.Message);
    }
}
