using Vaultik.Core.Catalog;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Catalog;

/// <summary>Snapshot directories written straight into a memory store, as Vaultik or an attacker with the public format would write them.</summary>
internal static class CatalogFixture
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Id(DateTimeOffset created, string host = "host-a", string name = "adhoc", string suffix = "0000000a") =>
        $"{created.UtcDateTime:yyyy-MM-dd-HHmmss}-{StoreLayout.SafeSegment(host)}-{StoreLayout.SafeSegment(name)}-{suffix}";

    public static SnapshotManifest Manifest(string id, DateTimeOffset created, string host = "host-a", string name = "adhoc", long metadataSize = 100, params string[] blobs) =>
        new(SnapshotManifest.CurrentFormatVersion, id, host, name, created, 1, 1, new string('a', 64), metadataSize, blobs.Select(b => new ManifestBlob(b, 10)).ToList());

    /// <summary>Writes a manifest (at <paramref name="written"/> by the store's clock) and, unless null, a metadata object of <paramref name="metadataBytes"/> bytes.</summary>
    public static async Task PutAsync(MemoryObjectStore store, string directory, SnapshotManifest manifest, DateTimeOffset written, int? metadataBytes = 100)
    {
        if (metadataBytes is { } size)
        {
            await store.PutAsync($"{StoreLayout.MetadataPrefix}{directory}/{StoreLayout.MetadataFileName}", new MemoryStream(new byte[size]));
            store.SetModified($"{StoreLayout.MetadataPrefix}{directory}/{StoreLayout.MetadataFileName}", written);
        }

        await store.PutAsync($"{StoreLayout.MetadataPrefix}{directory}/{StoreLayout.ManifestFileName}", new MemoryStream(ManifestCodec.Encode(manifest)));
        store.SetModified($"{StoreLayout.MetadataPrefix}{directory}/{StoreLayout.ManifestFileName}", written);
    }

    /// <summary>A genuine snapshot: created at <paramref name="created"/>, written a minute later.</summary>
    public static async Task<string> GenuineAsync(MemoryObjectStore store, DateTimeOffset created, string host = "host-a", string suffix = "0000000a", params string[] blobs)
    {
        var id = Id(created, host, suffix: suffix);
        await PutAsync(store, id, Manifest(id, created, host, blobs: blobs), created.AddMinutes(1));
        return id;
    }

    public static async Task<CatalogEntry> EntryAsync(MemoryObjectStore store, string id) =>
        (await new SnapshotCatalog(store).EntriesAsync(CancellationToken.None)).Single(e => e.Id == id);
}
