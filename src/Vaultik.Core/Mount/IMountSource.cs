using Vaultik.Core.Metadata;
using Vaultik.Core.Packing;

namespace Vaultik.Core.Mount;

/// <summary>
/// Where the mount's filesystem model gets a snapshot's metadata and its content chunks: the store
/// (<see cref="StoreMountSource"/>), or a test's stand-in. Both calls block: FUSE calls the model synchronously.
/// </summary>
public interface IMountSource
{
    /// <summary>Downloads, decrypts and opens <paramref name="manifest"/>'s metadata into <paramref name="directory"/> (private, created by the caller).</summary>
    MetadataReader Open(SnapshotManifest manifest, string directory);

    /// <summary>Hands each of <paramref name="chunks"/> (frame order) of blob <paramref name="blob"/>, decompressed and checked against its SHA-256, to <paramref name="onChunk"/>.</summary>
    void ReadChunks(Hash256 blob, long blobSize, IReadOnlyList<PackedChunk> chunks, Action<PackedChunk, ReadOnlyMemory<byte>> onChunk);
}
