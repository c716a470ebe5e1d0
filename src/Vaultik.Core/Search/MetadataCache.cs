using System.Security.Cryptography;
using Vaultik.Age;
using Vaultik.Core.Config;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;
using Vaultik.Core.Storage;
using ZstdSharp;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Core.Search;

/// <summary>
/// Opens snapshots' metadata for find and diff, downloading each snapshot's metadata at most once: the
/// rebuilt database (checked against its manifest as restore checks it) is kept in the cache directory, as an
/// age file to the identity's own recipient (<see cref="MetadataCacheMode.Encrypted"/>, decrypted into the
/// private run directory for each use) or as the SQLite file itself (<see cref="MetadataCacheMode.Plain"/>,
/// queried in place). Every use verifies the entry (<see cref="CacheEntry"/>) against the manifest and the
/// identity's MAC first; an entry that does not verify is named in a warning, removed and fetched again.
/// </summary>
public sealed class MetadataCache
{
    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IIdentity> _identities;
    private readonly MetadataCacheMode _mode;
    private readonly string _directory;
    private readonly string _runDirectory;
    private readonly Action<string> _warn;
    private readonly CacheCredentials? _credentials;
    private bool _prepared;

    public MetadataCache(IObjectStore store, IReadOnlyList<IIdentity> identities, MetadataCacheMode mode, string directory, string runDirectory, Action<string> warn)
    {
        _store = store;
        _identities = identities;
        _directory = directory;
        _runDirectory = runDirectory;
        _warn = warn;
        _credentials = mode == MetadataCacheMode.Off ? null : CacheCredentials.From(identities);
        _mode = _credentials is null ? MetadataCacheMode.Off : mode;
    }

    /// <summary>Snapshots served from a verified entry, and snapshots whose metadata was downloaded.</summary>
    public int Hits { get; private set; }

    public int Misses { get; private set; }

    /// <summary>
    /// <paramref name="manifest"/> may hold its header only (a catalog listing): a verified entry needs no more, and
    /// a download reads the whole manifest first.
    /// </summary>
    public async Task<CachedMetadata> OpenAsync(SnapshotManifest manifest, CancellationToken cancellationToken)
    {
        if (_mode == MetadataCacheMode.Off || !SafeName(manifest.Id))
        {
            Misses++;
            manifest = await FullManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
            var work = Path.Combine(_runDirectory, "m-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
            var db = await MetadataDownloader.DownloadAsync(_store, manifest, _identities, work, cancellationToken).ConfigureAwait(false);
            return new CachedMetadata(Checked(db, manifest), db, fromCache: false);
        }

        if (!_prepared)
        {
            CacheDirectory.Prepare(_directory);
            _prepared = true;
        }

        var entry = new CacheEntry(_directory, manifest.Id, _mode);
        var key = _credentials!.MacKey;
        if (entry.Exists)
        {
            if (await entry.ProblemAsync(manifest, key, cancellationToken).ConfigureAwait(false) is not { } problem)
            {
                Hits++;
                return await OpenEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            _warn($"metadata cache entry {entry.SidecarPath} is not used: {problem}; fetching the snapshot's metadata again");
            entry.Delete();
        }

        Misses++;
        return await FillAsync(entry, await FullManifestAsync(manifest, cancellationToken).ConfigureAwait(false), key, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CachedMetadata> FillAsync(CacheEntry entry, SnapshotManifest manifest, byte[] key, CancellationToken cancellationToken)
    {
        var work = Path.Combine(_runDirectory, "m-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        var db = await MetadataDownloader.DownloadAsync(_store, manifest, _identities, work, cancellationToken).ConfigureAwait(false);
        // Full checks (schema, quick_check, belongs to its manifest) once, before anything is cached; this also adds the readers' indexes.
        Checked(db, manifest).Dispose();
        var temp = entry.DataPath + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".tmp";
        try
        {
            await using (var input = new FileStream(db, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            await using (var output = PrivateFiles.Open(temp, FileMode.CreateNew, FileAccess.Write))
            {
                if (_mode == MetadataCacheMode.Plain)
                {
                    await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await using var age = AgeFile.Encrypt(output, [_credentials!.Recipient], leaveOpen: true);
                    await using var zstd = new CompressionStream(age, 3, leaveOpen: true);
                    await input.CopyToAsync(zstd, cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(temp, entry.DataPath, overwrite: true);
            await entry.SealAsync(manifest, key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }

        if (_mode == MetadataCacheMode.Plain)
        {
            File.Delete(db);
            return new CachedMetadata(MetadataReader.OpenVerifiedCopy(entry.DataPath), null, fromCache: false);
        }

        return new CachedMetadata(MetadataReader.OpenVerifiedCopy(db), db, fromCache: false);
    }

    private async Task<CachedMetadata> OpenEntryAsync(CacheEntry entry, CancellationToken cancellationToken)
    {
        if (_mode == MetadataCacheMode.Plain)
        {
            return new CachedMetadata(MetadataReader.OpenVerifiedCopy(entry.DataPath), null, fromCache: true);
        }

        PrivateFiles.CreateDirectory(_runDirectory);
        var plain = Path.Combine(_runDirectory, "c-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".db");
        try
        {
            await using (var input = new FileStream(entry.DataPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            await using (var age = AgeFile.Decrypt(input, _identities))
            await using (var zstd = new DecompressionStream(age))
            await using (var output = PrivateFiles.Open(plain, FileMode.CreateNew, FileAccess.Write))
            {
                await zstd.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }

            return new CachedMetadata(MetadataReader.OpenVerifiedCopy(plain), plain, fromCache: true);
        }
        catch (Exception ex) when (ex is AgeException or ZstdException)
        {
            File.Delete(plain);
            throw new CorruptDataException($"cannot read metadata cache entry {entry.DataPath}: {ex.Message}", ex);
        }
        catch
        {
            File.Delete(plain);
            throw;
        }
    }

    /// <summary>The whole manifest (with its blob list) of the snapshot <paramref name="header"/> describes, which must name the same metadata object.</summary>
    private async Task<SnapshotManifest> FullManifestAsync(SnapshotManifest header, CancellationToken cancellationToken)
    {
        if (header.Blobs.Count > 0)
        {
            return header;
        }

        var full = await ManifestCodec.ReadAsync(_store, header.Id, cancellationToken).ConfigureAwait(false);
        if (full.MetadataHash != header.MetadataHash || full.MetadataSize != header.MetadataSize)
        {
            throw new CorruptDataException($"cannot read snapshot {header.Id}: its manifest changed while it was read");
        }

        return full;
    }

    /// <summary>Opens a downloaded database with every check and refuses it unless it belongs to <paramref name="manifest"/>.</summary>
    private static MetadataReader Checked(string db, SnapshotManifest manifest)
    {
        var reader = new MetadataReader(db);
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

    private static bool SafeName(string id) => id.Length is > 0 and <= 200 && id[0] != '.' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
