using Microsoft.Data.Sqlite;
using Vaultik.Age;
using AgeFile = Vaultik.Age.Age;
using Vaultik.Core.Storage;
using Vaultik.Core.Util;
using ZstdSharp;
using Vaultik.Core.Layout;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Stores a finished snapshot: <c>db.zst.age</c> (zstd, then age, streamed through a temp file), then the
/// manifest listing every referenced blob, created only if absent. The manifest goes last: its presence is
/// what makes the snapshot complete.
/// </summary>
internal sealed class MetadataUploader
{
    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IRecipient> _recipients;

    public MetadataUploader(IObjectStore store, IReadOnlyList<IRecipient> recipients)
    {
        _store = store;
        _recipients = recipients;
    }

    public async Task<SnapshotManifest> StoreAsync(
        string id, string dbPath, string workDirectory, SnapshotDescription description, DateTimeOffset created,
        long fileCount, long totalSize, CancellationToken cancellationToken)
    {
        var encryptedPath = Path.Combine(workDirectory, "db.zst.age");
        Hash256 metadataHash;
        long metadataSize;
        await using (var output = PrivateFiles.Open(encryptedPath, FileMode.Create, FileAccess.Write))
        {
            using var hashing = new HashingWriteStream(output, leaveOpen: true);
            await using (var age = Encrypt(hashing, _recipients))
            {
                await using var zstd = new CompressionStream(age, description.CompressionLevel, leaveOpen: true);
                await using var input = new FileStream(dbPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                await input.CopyToAsync(zstd, cancellationToken).ConfigureAwait(false);
            }

            metadataSize = hashing.BytesWritten;
            metadataHash = hashing.GetHash();
        }

        await using (var content = new FileStream(encryptedPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
        {
            await _store.PutAsync(StoreLayout.MetadataKey(id), content, cancellationToken).ConfigureAwait(false);
        }

        var manifest = new SnapshotManifest(
            SnapshotManifest.CurrentFormatVersion, id, description.Hostname, description.Name, created, fileCount, totalSize,
            metadataHash.ToString(), metadataSize, ReadBlobs(dbPath)) { Tags = description.Tags };
        using var manifestBytes = new MemoryStream(ManifestCodec.Encode(manifest), writable: false);
        await _store.PutAsync(StoreLayout.ManifestKey(id), manifestBytes, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    private static List<ManifestBlob> ReadBlobs(string dbPath)
    {
        var blobs = new List<ManifestBlob>();
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT hash, size FROM blobs ORDER BY hash;";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            blobs.Add(new ManifestBlob(reader.GetString(0), reader.GetInt64(1)));
        }

        return blobs;
    }

    /// <summary>An age stream into <paramref name="output"/>; a recipient age refuses is reported as a VaultikException with age's message.</summary>
    private static Stream Encrypt(Stream output, IReadOnlyList<IRecipient> recipients)
    {
        try
        {
            return AgeFile.Encrypt(output, recipients, leaveOpen: true);
        }
        catch (AgeException ex)
        {
            throw new VaultikException(ex.Message, ex);
        }
    }
}
