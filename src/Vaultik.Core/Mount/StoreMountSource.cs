using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Packing;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Mount;

/// <summary>
/// The mount's <see cref="IMountSource"/> over a store, with the identities restore and fetch use: metadata
/// through <see cref="MetadataDownloader"/> (checked against its manifest), content through
/// <see cref="BlobReader"/> (ranged reads of the age STREAM chunks that cover the frames asked for, every chunk
/// verified). Blob headers already read are kept (at most <see cref="MaxOpenBlobs"/>), so a file read piece by
/// piece costs one header read per blob.
/// </summary>
public sealed class StoreMountSource : IMountSource
{
    public const int MaxOpenBlobs = 256;

    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IIdentity> _identities;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<Hash256, BlobReader> _blobs = [];
    private readonly object _lock = new();

    public StoreMountSource(IObjectStore store, IReadOnlyList<IIdentity> identities, CancellationToken cancellationToken)
    {
        _store = store;
        _identities = identities;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Bytes of blob data downloaded so far (headers and ranges).</summary>
    public long BytesFetched { get; private set; }

    /// <summary>
    /// Reads the whole manifest of the snapshot <paramref name="manifest"/> (a listing's header) names, refuses it
    /// unless it is the one listed, then downloads and opens the metadata.
    /// </summary>
    public MetadataReader Open(SnapshotManifest manifest, string directory)
    {
        var full = ManifestCodec.ReadAsync(_store, manifest.Id, _cancellationToken).GetAwaiter().GetResult();
        if (full.MetadataHash != manifest.MetadataHash || full.Id != manifest.Id)
        {
            throw new CorruptDataException($"cannot use snapshot {manifest.Id}: its manifest changed since it was listed");
        }

        return MetadataDownloader.OpenAsync(_store, full, _identities, directory, _cancellationToken).GetAwaiter().GetResult();
    }

    public void ReadChunks(Hash256 blob, long blobSize, IReadOnlyList<PackedChunk> chunks, Action<PackedChunk, ReadOnlyMemory<byte>> onChunk)
    {
        BlobReader? reader;
        lock (_lock)
        {
            _blobs.TryGetValue(blob, out reader);
        }

        if (reader is null)
        {
            reader = BlobReader.OpenAsync(_store, blob, blobSize, _identities, _cancellationToken).GetAwaiter().GetResult();
            lock (_lock)
            {
                if (_blobs.Count >= MaxOpenBlobs)
                {
                    _blobs.Clear();
                }

                _blobs[blob] = reader;
                BytesFetched += reader.HeaderBytes;
            }
        }

        var before = reader.BytesFetched;
        reader.ReadChunksAsync(chunks, (chunk, data) =>
        {
            onChunk(chunk, data);
            return ValueTask.CompletedTask;
        }, _cancellationToken).GetAwaiter().GetResult();
        lock (_lock)
        {
            BytesFetched += reader.BytesFetched - before;
        }
    }
}
