using Vaultik.Core.Metadata;

namespace Vaultik.Core.Search;

/// <summary>A snapshot's metadata opened through <see cref="MetadataCache"/>; disposing it closes the database and removes any decrypted temporary copy.</summary>
public sealed class CachedMetadata : IDisposable
{
    private readonly string? _temporary;

    internal CachedMetadata(MetadataReader reader, string? temporary, bool fromCache)
    {
        Reader = reader;
        _temporary = temporary;
        FromCache = fromCache;
    }

    public MetadataReader Reader { get; }

    /// <summary>True when the store's metadata objects were not read (a verified cache entry served it).</summary>
    public bool FromCache { get; }

    public void Dispose()
    {
        Reader.Dispose();
        if (_temporary is not null)
        {
            File.Delete(_temporary);
        }
    }
}
