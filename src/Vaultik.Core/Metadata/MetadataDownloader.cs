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
/// decompresses it into a local SQLite file, streaming (never the whole object in memory). The directory is
/// created 0700 and both files 0600 (a caller's <see cref="RunDirectory"/>): decrypted metadata is never readable by others.
/// </summary>
public static class MetadataDownloader
{
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
                await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
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
                await zstd.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
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

            return plain;
        }
        finally
        {
            File.Delete(encrypted);
        }
    }
}
