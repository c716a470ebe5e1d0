using Vaultik.Core.Layout;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Catalog;

/// <summary>The objects of one snapshot directory under <c>metadata/</c>, as one listing shows them.</summary>
internal sealed class CatalogDirectory
{
    public ObjectInfo? Manifest { get; private set; }

    public ObjectInfo? Metadata { get; private set; }

    public DateTimeOffset Newest { get; private set; } = DateTimeOffset.MinValue;

    public List<string> Keys { get; } = [];

    /// <summary>The objects of each snapshot directory, in id order, from one listing of <c>metadata/</c> (a few per snapshot).</summary>
    public static async Task<SortedDictionary<string, CatalogDirectory>> ListAsync(IObjectStore store, CancellationToken cancellationToken)
    {
        var directories = new SortedDictionary<string, CatalogDirectory>(StringComparer.Ordinal);
        await foreach (var info in store.ListAsync(StoreLayout.MetadataPrefix, cancellationToken).ConfigureAwait(false))
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
                directories[id] = objects = new CatalogDirectory();
            }

            objects.Add(rest[(slash + 1)..], info);
        }

        return directories;
    }

    private void Add(string file, ObjectInfo info)
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
