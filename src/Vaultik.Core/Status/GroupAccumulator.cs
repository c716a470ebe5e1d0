using Vaultik.Core.Catalog;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Status;

/// <summary>
/// One group's running state while <see cref="StatusScanner"/> streams the catalog: the newest complete snapshot
/// seen so far (its entry, with its manifest's blob list) and the set of blob hashes every other complete snapshot
/// of the group lists. When a newer one arrives, the previous candidate's blobs join the set. At the end the set is
/// exactly "every earlier snapshot's blobs", so the candidate's new bytes need no second read.
/// </summary>
internal sealed class GroupAccumulator(string host, string name)
{
    private readonly HashSet<string> _earlier = new(StringComparer.Ordinal);
    private CatalogEntry? _candidate;

    public string Host => host;

    public string Name => name;

    public int Snapshots { get; private set; }

    public int Incomplete { get; set; }

    public int Suspect { get; set; }

    /// <summary>Adds a complete, unsuspected snapshot; <paramref name="canonical"/> maps a hash to the one shared instance.</summary>
    public void AddComplete(CatalogEntry entry, Func<string, string> canonical)
    {
        Snapshots++;
        if (_candidate is null)
        {
            _candidate = entry;
            return;
        }

        var newer = entry.Written > _candidate.Written
            || (entry.Written == _candidate.Written && string.CompareOrdinal(entry.Id, _candidate.Id) > 0);
        var older = newer ? _candidate : entry;
        foreach (var blob in older.Manifest!.Blobs)
        {
            _earlier.Add(canonical(blob.Hash));
        }

        if (newer)
        {
            _candidate = entry;
        }
    }

    public GroupStatus Finish(DateTimeOffset now, TimeSpan? maxAge)
    {
        if (_candidate?.Manifest is not { } manifest)
        {
            return new GroupStatus(host, name, null, Snapshots, Incomplete, Suspect, maxAge is not null);
        }

        var age = now - _candidate.Written;
        var latest = new LatestSnapshot(manifest.Id, manifest.Created, _candidate.Written, age < TimeSpan.Zero ? TimeSpan.Zero : age,
            manifest.TotalSize, manifest.FileCount, NewBytes(manifest), manifest.Blobs.Count);
        return new GroupStatus(host, name, latest, Snapshots, Incomplete, Suspect, maxAge is { } max && age > max);
    }

    private long NewBytes(SnapshotManifest manifest)
    {
        long bytes = 0;
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var blob in manifest.Blobs)
        {
            if (!_earlier.Contains(blob.Hash) && counted.Add(blob.Hash))
            {
                bytes += blob.Size;
            }
        }

        return bytes;
    }
}
