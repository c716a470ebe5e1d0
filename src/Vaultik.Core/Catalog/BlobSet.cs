namespace Vaultik.Core.Catalog;

/// <summary>
/// A set of blobs as fixed-size structs (hash, size, the ordinal of the first owner that added it), no object per
/// blob: about 56 bytes per distinct blob however many manifests list it. What prune and verify hold of the
/// manifests' blob lists (streamed through <see cref="SnapshotCatalog.ReadHeadersAsync"/>).
/// </summary>
internal sealed class BlobSet
{
    private readonly Dictionary<Hash256, (long Size, int Owner)> _blobs = [];

    public int Count => _blobs.Count;

    /// <summary>Adds a blob; a blob already in the set keeps its first size and owner.</summary>
    public void Add(Hash256 hash, long size, int owner) => _blobs.TryAdd(hash, (size, owner));

    public bool Contains(Hash256 hash) => _blobs.ContainsKey(hash);

    public bool TryGet(Hash256 hash, out long size, out int owner)
    {
        var found = _blobs.TryGetValue(hash, out var blob);
        (size, owner) = blob;
        return found;
    }

    /// <summary>Every blob, in hash order.</summary>
    public (Hash256 Hash, long Size, int Owner)[] Sorted()
    {
        var all = new (Hash256 Hash, long Size, int Owner)[_blobs.Count];
        var i = 0;
        foreach (var (hash, (size, owner)) in _blobs)
        {
            all[i++] = (hash, size, owner);
        }

        Array.Sort(all, static (x, y) => x.Hash.CompareTo(y.Hash));
        return all;
    }
}
