namespace Vaultik.Core.Metadata;

/// <summary>
/// A manifest read by <see cref="ManifestScanner"/>: every field but the blob list (<see cref="SnapshotManifest.Blobs"/>
/// is empty), and how many blobs the list had and their stored bytes.
/// </summary>
public sealed record ManifestHeader(SnapshotManifest Manifest, long BlobCount, long BlobBytes);
