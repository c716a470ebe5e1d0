using System.Security.Cryptography;
using Vaultik.Age;
using AgeFile = Vaultik.Age.Age;
using Vaultik.Core.Storage;
using ZstdSharp;
using Vaultik.Core.Layout;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Fetches a snapshot's <c>db.zst.age</c>, checks it against the manifest's hash and size, and decrypts and
/// decompresses it into a local SQLite file, streaming (never the whole object in memory). For format 3 that
/// file is the root object, and the snapshot database is rebuilt from its row stream (<see cref="RowStreamFetch"/>):
/// either way callers get the same schema. The directory is
/// created 0700 and both files 0600 (a caller's <see cref="RunDirectory"/>): decrypted metadata is never readable by others.
/// </summary>
public static class MetadataDownloader
{
    /// <summary>Every snapshot's metadata may decompress to this much, whatever its manifest says.</summary>
    public const long BaseAllowance = 64L << 20;

    /// <summary>
    /// The most a snapshot's <c>db.zst.age</c> may decompress to (docs/FORMAT.md, "Snapshot metadata"): 64 MiB, plus
    /// 16 KiB per entry and 512 bytes per possible chunk (one per entry plus one per 64 bytes, the smallest
    /// chunk, of <c>total_size</c>), and never more than 64 MiB plus 1024 times the stored object's size.
    /// </summary>
    public static long MaxPlainBytes(SnapshotManifest manifest)
    {
        var entries = (Int128)Math.Max(0, manifest.FileCount);
        var chunks = entries + (Math.Max(0, manifest.TotalSize) / Chunking.ChunkerOptions.MinimumMinSize);
        var byFormat = BaseAllowance + (entries * (16 << 10)) + (chunks * 512);
        var byRatio = BaseAllowance + ((Int128)Math.Max(0, manifest.MetadataSize) * 1024);
        return (long)Int128.Min(Int128.Min(byFormat, byRatio), long.MaxValue);
    }

    /// <summary>
    /// Downloads the metadata (<see cref="DownloadAsync"/>), opens it and refuses it unless it belongs to
    /// <paramref name="manifest"/> (<see cref="MetadataManifestCheck"/>): what restore and fetch read.
    /// </summary>
    public static async Task<MetadataReader> OpenAsync(
        IObjectStore store, SnapshotManifest manifest, IReadOnlyList<IIdentity> identities, string directory, CancellationToken cancellationToken)
    {
        var path = await DownloadAsync(store, manifest, identities, directory, cancellationToken).ConfigureAwait(false);
        var reader = new MetadataReader(path);
        try
        {
            MetadataManifestCheck.Require(reader, manifest);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Downloads and decrypts the metadata into <paramref name="directory"/> and returns its path, checked against
    /// the manifest's hash and size only: callers that read it also run <see cref="MetadataManifestCheck"/>.
    /// </summary>
    public static async Task<string> DownloadAsync(
        IObjectStore store, SnapshotManifest manifest, IReadOnlyList<IIdentity> identities, string directory, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(directory);
        var key = StoreLayout.MetadataKey(manifest.Id);
        var encrypted = Path.Combine(directory, $"{manifest.Id}.db.zst.age");
        var plain = Path.Combine(directory, $"{manifest.Id}.db");
        try
        {
            await using (var source = await store.GetAsync(key, null, cancellationToken).ConfigureAwait(false))
            await using (var file = PrivateFiles.Open(encrypted, FileMode.Create, FileAccess.Write))
            {
                // One byte more than the manifest says is enough to tell the object does not match it.
                if (!await CopyAtMostAsync(source, file, manifest.MetadataSize + 1, cancellationToken).ConfigureAwait(false))
                {
                    throw new CorruptDataException($"cannot read metadata {key}: it is larger than the manifest says");
                }
            }

            await using (var check = new FileStream(encrypted, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                var hash = new Hash256(await SHA256.HashDataAsync(check, cancellationToken).ConfigureAwait(false));
                if (check.Length != manifest.MetadataSize || hash.ToString() != manifest.MetadataHash)
                {
                    throw new CorruptDataException($"cannot read metadata {key}: its SHA-256 or size does not match the manifest");
                }
            }

            try
            {
                await using var input = new FileStream(encrypted, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                await using var age = AgeFile.Decrypt(input, identities);
                await using var zstd = new DecompressionStream(age);
                await using var output = PrivateFiles.Open(plain, FileMode.Create, FileAccess.Write);
                var limit = MaxPlainBytes(manifest);
                if (!await CopyAtMostAsync(zstd, output, limit, cancellationToken).ConfigureAwait(false))
                {
                    throw new CorruptDataException(
                        $"cannot decompress metadata {key}: it decompresses to more than {limit} bytes, the limit for a snapshot of {manifest.FileCount} entries and {manifest.TotalSize} bytes (docs/FORMAT.md)");
                }
            }
            catch (AgeNoIdentityMatchException ex)
            {
                throw new VaultikException($"cannot decrypt metadata {key}: the identity does not match any recipient of this snapshot", ex);
            }
            catch (AgeException ex)
            {
                throw new CorruptDataException($"cannot decrypt metadata {key}: {ex.Message}", ex);
            }
            catch (ZstdException ex)
            {
                throw new CorruptDataException($"cannot decompress metadata {key}: {ex.Message}", ex);
            }

            // Format 3 and 4: what came is the root object; the snapshot database is rebuilt from its row stream.
            // Format 2 and 3 hold UTF-8 names with a literal '\\'; they are turned into the escaped form of names
            // (docs/FORMAT.md, "Names") so that the whole program sees one form.
            var version = MetadataConnection.FormatVersion(plain);
            if (version == "2")
            {
                LegacyNames.EscapeInPlace(plain);
            }
            else if (MetadataConnection.IsRoot(version))
            {
                var root = Path.Combine(directory, $"{manifest.Id}.root.db");
                File.Move(plain, root, overwrite: true);
                try
                {
                    await RowStreamFetch.ReplayAsync(store, manifest, identities, root, plain, literalBackslashes: version == "3", cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    File.Delete(root);
                }
            }

            return plain;
        }
        catch
        {
            File.Delete(plain);
            throw;
        }
        finally
        {
            File.Delete(encrypted);
        }
    }

    /// <summary>Copies <paramref name="source"/> to its end into <paramref name="target"/>; false, having stopped, once more than <paramref name="limit"/> bytes came.</summary>
    private static async Task<bool> CopyAtMostAsync(Stream source, Stream target, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += n;
            if (total > limit)
            {
                return false;
            }

            await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
