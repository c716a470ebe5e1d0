using Vaultik.Core.Catalog;
using Vaultik.Core.Integrity;
using Vaultik.Core.Layout;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Status;

/// <summary>
/// <c>store status</c> from the <c>metadata/</c> listing, the unencrypted manifests and the <c>blobs/</c> listing:
/// no key, no writes. The catalog is streamed one manifest at a time. Held in memory: the catalog's listing of
/// <c>metadata/</c>, one set of every blob hash any manifest lists (store-wide, for orphans), per selected group
/// the hashes its complete snapshots list (sharing the store-wide strings) and its latest candidate's manifest,
/// and per (host, name) id segment a pair of counters. The <c>blobs/</c> listing is streamed.
/// </summary>
/// <remarks>
/// Complete snapshots belong to the group of their manifest's hostname and name. Incomplete, unreadable and
/// suspect ones are attributed by their directory's id (whose host and name segments are what
/// <see cref="StoreLayout.SafeSegment"/> makes of them): to the group whose segments match, else to a group of
/// their own named by the segments. Ages are <paramref name="now"/> minus the store's LastModified of the manifest.
/// </remarks>
public static class StatusScanner
{
    public static async Task<StoreStatus> ComputeAsync(
        IObjectStore store, IReadOnlyCollection<KeyHistory> tampered, string? host, TimeSpan? maxAge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        string Canonical(string hash) => referenced.TryGetValue(hash, out var shared) ? shared : hash;
        var groups = new Dictionary<(string Host, string Name), GroupAccumulator>();
        var others = new Dictionary<(string Host, string Name), (int Incomplete, int Suspect)>();
        var unreadable = new List<UnreadableSnapshot>();

        await foreach (var entry in new SnapshotCatalog(store, tampered).ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var blob in entry.Manifest?.Blobs ?? [])
            {
                referenced.Add(blob.Hash);
            }

            if (entry.IsTrusted)
            {
                var key = (entry.Manifest.Hostname, entry.Manifest.Name);
                if (host is null || key.Hostname == host)
                {
                    if (!groups.TryGetValue(key, out var group))
                    {
                        groups[key] = group = new GroupAccumulator(key.Hostname, key.Name);
                    }

                    group.AddComplete(entry, Canonical);
                }

                continue;
            }

            if (entry.Status == CatalogStatus.Unreadable)
            {
                unreadable.Add(new UnreadableSnapshot(entry.Id, entry.Reason ?? $"cannot read manifest {StoreLayout.ManifestKey(entry.Id)}"));
            }

            var segments = Segments(entry.Id);
            var counts = others.GetValueOrDefault(segments);
            others[segments] = entry.Status == CatalogStatus.Suspect ? (counts.Incomplete, counts.Suspect + 1) : (counts.Incomplete + 1, counts.Suspect);
        }

        Attribute(groups, others, host);
        var (orphanedBlobs, orphanedBytes) = await OrphansAsync(store, referenced, cancellationToken).ConfigureAwait(false);
        var finished = groups.Values
            .OrderBy(g => g.Host, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => g.Finish(now, maxAge)).ToList();
        return new StoreStatus(store.Location, now, maxAge, finished, orphanedBlobs, orphanedBytes, unreadable);
    }

    /// <summary>The host and name segments of a snapshot directory's id (<c>yyyy-MM-dd-HHmmss-HOST-NAME-RANDOM</c>).</summary>
    private static (string Host, string Name) Segments(string id)
    {
        var parts = id[18..].Split('-');
        return parts.Length == 3 ? (parts[0], parts[1]) : (id, string.Empty);
    }

    private static void Attribute(Dictionary<(string Host, string Name), GroupAccumulator> groups, Dictionary<(string Host, string Name), (int Incomplete, int Suspect)> others, string? host)
    {
        foreach (var (segments, counts) in others)
        {
            var group = groups.Values
                .Where(g => StoreLayout.SafeSegment(g.Host) == segments.Host && StoreLayout.SafeSegment(g.Name) == segments.Name)
                .OrderBy(g => g.Host, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (group is null)
            {
                if (host is not null && StoreLayout.SafeSegment(host) != segments.Host)
                {
                    continue;
                }

                groups[segments] = group = new GroupAccumulator(segments.Host, segments.Name);
            }

            group.Incomplete += counts.Incomplete;
            group.Suspect += counts.Suspect;
        }
    }

    private static async Task<(long Blobs, long Bytes)> OrphansAsync(IObjectStore store, HashSet<string> referenced, CancellationToken cancellationToken)
    {
        long blobs = 0, bytes = 0;
        await foreach (var info in store.ListAsync(StoreLayout.BlobsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (StoreLayout.TryParseBlobKey(info.Key, out var hash) && !referenced.Contains(hash.ToString()))
            {
                blobs++;
                bytes += info.Size;
            }
        }

        return (blobs, bytes);
    }
}
