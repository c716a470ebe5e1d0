using Vaultik.Core.Storage;
using Vaultik.Core.Metadata;
using Vaultik.Core.Layout;

namespace Vaultik.Core.Catalog;

/// <summary>
/// What snapshots a store holds, from its <c>metadata/</c> listing and the unencrypted manifests: no key needed.
/// A snapshot directory without a manifest is incomplete and never listed as a snapshot.
/// </summary>
public sealed class SnapshotCatalog
{
    private readonly IObjectStore _store;

    public SnapshotCatalog(IObjectStore store) => _store = store;

    /// <summary>Ids of every snapshot directory, split by whether its manifest exists.</summary>
    public async Task<(IReadOnlyList<string> Complete, IReadOnlyList<string> Incomplete)> ScanAsync(CancellationToken cancellationToken)
    {
        var ids = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        await foreach (var info in _store.ListAsync(StoreLayout.MetadataPrefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = info.Key[StoreLayout.MetadataPrefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || !SnapshotId.TryParse(rest[..slash], out _))
            {
                continue;
            }

            var id = rest[..slash];
            var isManifest = rest[(slash + 1)..] == StoreLayout.ManifestFileName;
            ids[id] = (ids.TryGetValue(id, out var seen) && seen) || isManifest;
        }

        return (ids.Where(p => p.Value).Select(p => p.Key).ToList(), ids.Where(p => !p.Value).Select(p => p.Key).ToList());
    }

    /// <summary>
    /// Manifest keys under <c>metadata/</c> that <see cref="ScanAsync"/> does not count as a snapshot because
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

    /// <summary>Every complete snapshot's manifest, oldest first.</summary>
    public async Task<IReadOnlyList<SnapshotManifest>> ListAsync(CancellationToken cancellationToken)
    {
        var (complete, _) = await ScanAsync(cancellationToken).ConfigureAwait(false);
        var manifests = new List<SnapshotManifest>(complete.Count);
        foreach (var id in complete)
        {
            manifests.Add(await ManifestCodec.ReadAsync(_store, id, cancellationToken).ConfigureAwait(false));
        }

        return manifests.OrderBy(m => m.Created).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The manifest of <paramref name="idOrLatest"/>: an exact id, or <c>latest</c> (optionally only among
    /// snapshots of <paramref name="name"/> and/or <paramref name="hostname"/>).
    /// </summary>
    public async Task<SnapshotManifest> ResolveAsync(string idOrLatest, string? name, string? hostname, CancellationToken cancellationToken)
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

        var all = await ListAsync(cancellationToken).ConfigureAwait(false);
        var match = all.LastOrDefault(m => (name is null || m.Name == name) && (hostname is null || m.Hostname == hostname));
        return match ?? throw new VaultikException($"cannot find the latest snapshot: {_store.Location} holds no complete snapshot{(name is null ? string.Empty : $" named {name}")}");
    }
}
