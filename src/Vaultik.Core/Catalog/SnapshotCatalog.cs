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
    /// Every snapshot directory, in id order, one manifest read at a time (prune streams them: only the
    /// entry being looked at holds its manifest). A manifest that cannot be parsed gives an
    /// <see cref="CatalogStatus.Unreadable"/> entry; errors reaching the store are thrown.
    /// </summary>
    public async IAsyncEnumerable<CatalogEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (id, objects) in await DirectoriesAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return await ClassifyAsync(id, objects, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every snapshot directory, oldest written first.</summary>
    public async Task<IReadOnlyList<CatalogEntry>> EntriesAsync(CancellationToken cancellationToken)
    {
        var entries = new List<CatalogEntry>();
        await foreach (var entry in ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        return entries.OrderBy(e => e.Written).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Ids of every snapshot directory, split into listed (complete or suspect) and the rest (incomplete or unreadable).</summary>
    public async Task<(IReadOnlyList<string> Complete, IReadOnlyList<string> Incomplete)> ScanAsync(CancellationToken cancellationToken)
    {
        List<string> listed = [], rest = [];
        await foreach (var entry in ReadAsync(cancellationToken).ConfigureAwait(false))
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
        return Listed(await EntriesAsync(cancellationToken).ConfigureAwait(false), hostname, name, tags);
    }

    /// <summary>The listed entries of <paramref name="entries"/> (see <see cref="ListAsync(string?, string?, CancellationToken)"/>), for callers that also look at the others.</summary>
    public static IReadOnlyList<CatalogEntry> Listed(IReadOnlyList<CatalogEntry> entries, string? hostname, string? name) => Listed(entries, hostname, name, []);

    /// <summary>As <see cref="Listed(IReadOnlyList{CatalogEntry}, string?, string?)"/>, only snapshots carrying every one of <paramref name="tags"/>.</summary>
    public static IReadOnlyList<CatalogEntry> Listed(IReadOnlyList<CatalogEntry> entries, string? hostname, string? name, IReadOnlyCollection<string> tags)
    {
        ThrowIfUnreadable(entries);
        return entries.Where(e => e.IsListed && (hostname is null || e.Manifest.Hostname == hostname) && (name is null || e.Manifest.Name == name)
            && SnapshotTags.HasAll(e.Manifest.Tags, tags)).ToList();
    }

    /// <summary>Every manifest present, whatever its directory's status (what verify checks), oldest written first.</summary>
    public async Task<IReadOnlyList<SnapshotManifest>> ManifestsAsync(CancellationToken cancellationToken)
    {
        var entries = await EntriesAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfUnreadable(entries);
        return entries.Where(e => e.Manifest is not null).Select(e => e.Manifest!).ToList();
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
            return match.Manifest!;
        }

        var others = listed.Where(e => e.IsTrusted).Select(e => e.Manifest!.Hostname).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var suspects = listed.Count(e => e.Status == CatalogStatus.Suspect && (hostname is null || e.Manifest!.Hostname == hostname));
        var hint = hostname is not null && others.Count > 0 ? $"; it holds snapshots of {string.Join(", ", others)} (use --host HOST)" : string.Empty;
        var suspect = suspects > 0 ? $"; {suspects} suspect snapshot{(suspects == 1 ? " is" : "s are")} never latest (see 'vaultik snapshot list')" : string.Empty;
        throw new VaultikException(
            $"cannot find the latest snapshot: {_store.Location} holds no complete snapshot{(name is null ? string.Empty : $" named {name}")}{(hostname is null ? string.Empty : $" of host {hostname}")}{(tags.Count == 0 ? string.Empty : $" tagged {string.Join(", ", tags)}")}{hint}{suspect}");
    }

    private static void ThrowIfUnreadable(IEnumerable<CatalogEntry> entries)
    {
        if (entries.FirstOrDefault(e => e.Status == CatalogStatus.Unreadable) is { } bad)
        {
            throw new CorruptDataException(bad.Reason ?? $"cannot read manifest {StoreLayout.ManifestKey(bad.Id)}");
        }
    }

    private async Task<CatalogEntry> ClassifyAsync(string id, DirectoryObjects objects, CancellationToken cancellationToken)
    {
        var tampered = objects.Keys.Where(_tampered.Contains).Order(StringComparer.Ordinal).ToList();
        if (objects.Manifest is not { } manifestInfo)
        {
            return new CatalogEntry(id, null, objects.Newest, CatalogStatus.Incomplete, "no manifest (an interrupted or running snapshot)", tampered);
        }

        SnapshotManifest manifest;
        try
        {
            manifest = await ManifestCodec.ReadAsync(_store, id, cancellationToken, requireMatchingId: false).ConfigureAwait(false);
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
            return new CatalogEntry(id, manifest, written, CatalogStatus.Incomplete, $"its metadata object {StoreLayout.MetadataKey(id)} is missing", tampered);
        }

        if (metadata.Size != manifest.MetadataSize)
        {
            return new CatalogEntry(id, manifest, written, CatalogStatus.Incomplete,
                $"its metadata object {StoreLayout.MetadataKey(id)} has {metadata.Size} bytes, its manifest says {manifest.MetadataSize}", tampered);
        }

        return SuspectRules.Check(id, manifest, written) is { } reason
            ? new CatalogEntry(id, manifest, written, CatalogStatus.Suspect, reason, tampered)
            : new CatalogEntry(id, manifest, written, CatalogStatus.Complete, null, tampered);
    }

    /// <summary>The objects of each snapshot directory, from one listing of <c>metadata/</c> (a few per snapshot).</summary>
    private async Task<SortedDictionary<string, DirectoryObjects>> DirectoriesAsync(CancellationToken cancellationToken)
    {
        var directories = new SortedDictionary<string, DirectoryObjects>(StringComparer.Ordinal);
        await foreach (var info in _store.ListAsync(StoreLayout.MetadataPrefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = info.Key[StoreLayout.MetadataPrefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || !SnapshotId.TryParse(rest[..slash], out _))
            {
                continue;
            }

            var id = rest[..slash];
            if (!directories.TryGetValue(id, out var objects))
            {
                directories[id] = objects = new DirectoryObjects();
            }

            objects.Add(rest[(slash + 1)..], info);
        }

        return directories;
    }

    private sealed class DirectoryObjects
    {
        public ObjectInfo? Manifest { get; private set; }

        public ObjectInfo? Metadata { get; private set; }

        public DateTimeOffset Newest { get; private set; } = DateTimeOffset.MinValue;

        public List<string> Keys { get; } = [];

        public void Add(string file, ObjectInfo info)
        {
            Keys.Add(info.Key);
            Newest = info.LastModified > Newest ? info.LastModified : Newest;
            if (file == StoreLayout.ManifestFileName)
            {
                Manifest = info;
            }
            else if (file == StoreLayout.MetadataFileName)
            {
                Metadata = info;
            }
        }
    }
}
