using System.Runtime.CompilerServices;
using Vaultik.Core.Integrity;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Catalog;

/// <summary>
/// What snapshots a store holds, from its <c>metadata/</c> listing and the unencrypted manifests: no key needed.
/// A directory is a complete snapshot only when its manifest and its metadata object exist and the metadata
/// object's listed size is the manifest's <c>metadata_size</c>; a complete snapshot whose manifest disagrees
/// with its id or with the store's clock is suspect (<see cref="SuspectRules"/>). Times are the store's: each
/// entry's <see cref="CatalogEntry.Written"/> is its manifest's LastModified. Keys named in the tampered list
/// (keys written more than once, see <see cref="VersionScan"/>) are flagged on their entries.
/// </summary>
public sealed class SnapshotCatalog
{
    /// <summary>How many manifests <see cref="EntriesAsync"/> reads at once.</summary>
    public const int ManifestReads = 16;

    private readonly IObjectStore _store;
    private readonly HashSet<string> _tampered;

    public SnapshotCatalog(IObjectStore store)
        : this(store, [])
    {
    }

    /// <param name="tampered">Keys rewritten after they were first written (e.g. <see cref="FirstWrittenView.Tampered"/>).</param>
    public SnapshotCatalog(IObjectStore store, IReadOnlyCollection<KeyHistory> tampered)
    {
        _store = store;
        _tampered = tampered.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// What listing (<see cref="ListAsync(string?, string?, IReadOnlyCollection{string}, CancellationToken)"/>, and so
    /// <c>latest</c>) does with a snapshot whose manifest cannot be read. By default it throws (what deletes, purge and
    /// prune, must not guess); read-only verbs pass a warning (see <see cref="SkippedWarning"/>) and the snapshot is left out.
    /// </summary>
    public Action<CatalogEntry> OnUnreadable { get; init; } = ThrowUnreadable;

    /// <summary>The warning of a read-only verb that leaves out a snapshot whose manifest cannot be read; it names the manifest's key.</summary>
    public static string SkippedWarning(CatalogEntry entry)
    {
        var key = StoreLayout.ManifestKey(entry.Id);
        var reason = entry.Reason ?? "it cannot be parsed";
        return $"snapshot {entry.Id} skipped: {(reason.Contains(key, StringComparison.Ordinal) ? reason : $"cannot read manifest {key}: {reason}")}";
    }

    /// <summary>
    /// Every snapshot directory, in id order, one manifest read at a time with its whole blob list (only the
    /// entry being looked at holds its manifest). A manifest that cannot be parsed gives an
    /// <see cref="CatalogStatus.Unreadable"/> entry; errors reaching the store are thrown.
    /// </summary>
    public async IAsyncEnumerable<CatalogEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (id, objects) in await CatalogDirectory.ListAsync(_store, cancellationToken).ConfigureAwait(false))
        {
            yield return await ClassifyAsync(id, objects, full: true, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// As <see cref="ReadAsync"/>, but each entry holds its manifest's header only: the blob list is streamed to
    /// <paramref name="onBlob"/> (directory id, hash, size) while the manifest is read, before its entry is
    /// returned, and never held. An unreadable manifest may have passed part of its list before it failed.
    /// </summary>
    public async IAsyncEnumerable<CatalogEntry> ReadHeadersAsync(Action<string, Hash256, long>? onBlob, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (id, objects) in await CatalogDirectory.ListAsync(_store, cancellationToken).ConfigureAwait(false))
        {
            yield return await ClassifyAsync(id, objects, full: false, onBlob is null ? null : (hash, size) => onBlob(id, hash, size), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every snapshot directory, oldest written first, each entry with its manifest's header only (see
    /// <see cref="CatalogEntry"/>): one listing of <c>metadata/</c>, then up to <see cref="ManifestReads"/>
    /// manifests read at once, none of their blob lists kept.
    /// </summary>
    public async Task<IReadOnlyList<CatalogEntry>> EntriesAsync(CancellationToken cancellationToken)
    {
        var directories = (await CatalogDirectory.ListAsync(_store, cancellationToken).ConfigureAwait(false)).ToList();
        var entries = new CatalogEntry[directories.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = ManifestReads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, directories.Count), options, async (i, ct) =>
            entries[i] = await ClassifyAsync(directories[i].Key, directories[i].Value, full: false, null, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return entries.OrderBy(e => e.Written).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Ids of every snapshot directory, split into listed (complete or suspect) and the rest (incomplete or unreadable).</summary>
    public async Task<(IReadOnlyList<string> Complete, IReadOnlyList<string> Incomplete)> ScanAsync(CancellationToken cancellationToken)
    {
        List<string> listed = [], rest = [];
        foreach (var entry in (await EntriesAsync(cancellationToken).ConfigureAwait(false)).OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            (entry.IsListed ? listed : rest).Add(entry.Id);
        }

        return (listed, rest);
    }

    /// <summary>
    /// The snapshots <c>snapshot list</c> shows (complete and suspect), oldest written first, optionally only
    /// those of <paramref name="hostname"/> and/or <paramref name="name"/>. Throws, naming the key, when a
    /// manifest cannot be parsed: what it describes is unknown.
    /// </summary>
    public Task<IReadOnlyList<CatalogEntry>> ListAsync(string? hostname, string? name, CancellationToken cancellationToken) =>
        ListAsync(hostname, name, [], cancellationToken);

    /// <summary>As <see cref="ListAsync(string?, string?, CancellationToken)"/>, only snapshots carrying every one of <paramref name="tags"/>.</summary>
    public async Task<IReadOnlyList<CatalogEntry>> ListAsync(string? hostname, string? name, IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
    {
        return Listed(await EntriesAsync(cancellationToken).ConfigureAwait(false), hostname, name, tags, OnUnreadable);
    }

    /// <summary>The listed entries of <paramref name="entries"/> (see <see cref="ListAsync(string?, string?, CancellationToken)"/>), for callers that also look at the others.</summary>
    public static IReadOnlyList<CatalogEntry> Listed(IReadOnlyList<CatalogEntry> entries, string? hostname, string? name) => Listed(entries, hostname, name, []);

    /// <summary>As <see cref="Listed(IReadOnlyList{CatalogEntry}, string?, string?)"/>, only snapshots carrying every one of <paramref name="tags"/>.</summary>
    public static IReadOnlyList<CatalogEntry> Listed(IReadOnlyList<CatalogEntry> entries, string? hostname, string? name, IReadOnlyCollection<string> tags) =>
        Listed(entries, hostname, name, tags, ThrowUnreadable);

    /// <summary>As <see cref="Listed(IReadOnlyList{CatalogEntry}, string?, string?, IReadOnlyCollection{string})"/>; each unreadable entry goes to <paramref name="onUnreadable"/> (which may throw).</summary>
    public static IReadOnlyList<CatalogEntry> Listed(IReadOnlyList<CatalogEntry> entries, string? hostname, string? name, IReadOnlyCollection<string> tags, Action<CatalogEntry> onUnreadable)
    {
        foreach (var bad in entries.Where(e => e.Status == CatalogStatus.Unreadable))
        {
            onUnreadable(bad);
        }

        return entries.Where(e => e.IsListed && (hostname is null || e.Manifest.Hostname == hostname) && (name is null || e.Manifest.Name == name)
            && SnapshotTags.HasAll(e.Manifest.Tags, tags)).ToList();
    }

    /// <summary>
    /// Every entry with a manifest, whatever its directory's status (what verify checks), oldest written first,
    /// headers only (see <see cref="EntriesAsync"/>), and every entry whose manifest cannot be parsed
    /// (<see cref="CatalogStatus.Unreadable"/>, no manifest: verify reports it).
    /// </summary>
    public async Task<IReadOnlyList<CatalogEntry>> ManifestEntriesAsync(CancellationToken cancellationToken)
    {
        var entries = await EntriesAsync(cancellationToken).ConfigureAwait(false);
        return entries.Where(e => e.Manifest is not null || e.Status == CatalogStatus.Unreadable).ToList();
    }

    /// <summary>
    /// Manifest keys under <c>metadata/</c> that <see cref="ReadAsync"/> does not count as a snapshot because
    /// their directory's name is not a snapshot id (a hand-made or damaged directory). Prune refuses while there
    /// are any: the blobs such a manifest lists would otherwise look unreferenced.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnrecognizedManifestsAsync(CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var info in _store.ListAsync(StoreLayout.MetadataPrefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = info.Key[StoreLayout.MetadataPrefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (rest.EndsWith(StoreLayout.ManifestFileName, StringComparison.Ordinal) && (slash <= 0 || !SnapshotId.TryParse(rest[..slash], out _) || rest[(slash + 1)..] != StoreLayout.ManifestFileName))
            {
                keys.Add(info.Key);
            }
        }

        return keys;
    }

    /// <summary>
    /// The manifest of <paramref name="idOrLatest"/>: an exact id, or <c>latest</c>, the newest complete,
    /// unsuspected snapshot by the store's clock (optionally only among snapshots of <paramref name="name"/>
    /// and/or <paramref name="hostname"/>).
    /// </summary>
    public Task<SnapshotManifest> ResolveAsync(string idOrLatest, string? name, string? hostname, CancellationToken cancellationToken) =>
        ResolveAsync(idOrLatest, name, hostname, [], cancellationToken);

    /// <summary>
    /// As <see cref="ResolveAsync(string, string?, string?, CancellationToken)"/>; <c>latest</c> considers only
    /// snapshots carrying every one of <paramref name="tags"/> (an exact id is returned whatever its tags).
    /// </summary>
    public async Task<SnapshotManifest> ResolveAsync(string idOrLatest, string? name, string? hostname, IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
    {
        if (!string.Equals(idOrLatest, "latest", StringComparison.Ordinal))
        {
            if (!SnapshotId.TryParse(idOrLatest, out _))
            {
                throw new ConfigurationException($"cannot find snapshot '{idOrLatest}': not a snapshot id (use an id from 'vaultik snapshot list' or 'latest')");
            }

            try
            {
                return await ManifestCodec.ReadAsync(_store, idOrLatest, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException ex)
            {
                throw new VaultikException($"cannot find snapshot {idOrLatest}: no complete snapshot with that id in {_store.Location}", ex);
            }
        }

        var listed = await ListAsync(null, name, tags, cancellationToken).ConfigureAwait(false);
        var match = listed.LastOrDefault(e => e.IsTrusted && (hostname is null || e.Manifest.Hostname == hostname));
        if (match is not null)
        {
            // The listing holds headers only: read the whole manifest of the one snapshot chosen.
            try
            {
                return await ManifestCodec.ReadAsync(_store, match.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException ex)
            {
                throw new VaultikException($"cannot find the latest snapshot: {match.Id} was removed from {_store.Location} while it was read", ex);
            }
        }

        var others = listed.Where(e => e.IsTrusted).Select(e => e.Manifest!.Hostname).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var suspects = listed.Count(e => e.Status == CatalogStatus.Suspect && (hostname is null || e.Manifest!.Hostname == hostname));
        var hint = hostname is not null && others.Count > 0 ? $"; it holds snapshots of {string.Join(", ", others)} (use --host HOST)" : string.Empty;
        var suspect = suspects > 0 ? $"; {suspects} suspect snapshot{(suspects == 1 ? " is" : "s are")} never latest (see 'vaultik snapshot list')" : string.Empty;
        throw new VaultikException(
            $"cannot find the latest snapshot: {_store.Location} holds no complete snapshot{(name is null ? string.Empty : $" named {name}")}{(hostname is null ? string.Empty : $" of host {hostname}")}{(tags.Count == 0 ? string.Empty : $" tagged {string.Join(", ", tags)}")}{hint}{suspect}");
    }

    private static void ThrowUnreadable(CatalogEntry bad) =>
        throw new CorruptDataException(bad.Reason ?? $"cannot read manifest {StoreLayout.ManifestKey(bad.Id)}");

    private async Task<CatalogEntry> ClassifyAsync(string id, CatalogDirectory objects, bool full, Action<Hash256, long>? onBlob, CancellationToken cancellationToken)
    {
        var tampered = objects.Keys.Where(_tampered.Contains).Order(StringComparer.Ordinal).ToList();
        if (objects.Manifest is not { } manifestInfo)
        {
            return new CatalogEntry(id, null, objects.Newest, CatalogStatus.Incomplete, "no manifest (an interrupted or running snapshot)", tampered);
        }

        SnapshotManifest manifest;
        long count, bytes;
        try
        {
            if (full)
            {
                manifest = await ManifestCodec.ReadAsync(_store, id, cancellationToken, requireMatchingId: false).ConfigureAwait(false);
                (count, bytes) = (manifest.Blobs.Count, manifest.CompressedSize);
            }
            else
            {
                var header = await ManifestScanner.ReadAsync(_store, id, onBlob, cancellationToken, requireMatchingId: false).ConfigureAwait(false);
                (manifest, count, bytes) = (header.Manifest, header.BlobCount, header.BlobBytes);
            }
        }
        catch (CorruptDataException ex)
        {
            return new CatalogEntry(id, null, manifestInfo.LastModified, CatalogStatus.Unreadable, ex.Message.ReplaceLineEndings(" "), tampered);
        }
        catch (ObjectNotFoundException)
        {
            return new CatalogEntry(id, null, manifestInfo.LastModified, CatalogStatus.Incomplete, "its manifest was removed while the store was listed", tampered);
        }

        var written = manifestInfo.LastModified;
        if (objects.Metadata is not { } metadata)
        {
            return new CatalogEntry(id, manifest, written, CatalogStatus.Incomplete, $"its metadata object {StoreLayout.MetadataKey(id)} is missing", tampered) { BlobCount = count, BlobBytes = bytes };
        }

        if (metadata.Size != manifest.MetadataSize)
        {
            return new CatalogEntry(id, manifest, written, CatalogStatus.Incomplete,
                $"its metadata object {StoreLayout.MetadataKey(id)} has {metadata.Size} bytes, its manifest says {manifest.MetadataSize}", tampered) { BlobCount = count, BlobBytes = bytes };
        }

        return SuspectRules.Check(id, manifest, written) is { } reason
            ? new CatalogEntry(id, manifest, written, CatalogStatus.Suspect, reason, tampered) { BlobCount = count, BlobBytes = bytes }
            : new CatalogEntry(id, manifest, written, CatalogStatus.Complete, null, tampered) { BlobCount = count, BlobBytes = bytes };
    }
}
