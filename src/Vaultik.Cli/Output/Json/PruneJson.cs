namespace Vaultik.Cli.Output;

/// <summary>`prune --json` (and the prune part of `snapshot purge --json`).</summary>
internal sealed record PruneJson(bool DryRun, long BlobsDeleted, long MetadataObjectsDeleted, long BytesFreed, long BlobsKeptForGrace, long BlobsReferenced, long BytesReferenced);
