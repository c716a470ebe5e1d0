namespace Vaultik.Cli.Output;

/// <summary>
/// `prune --json` (and the prune part of `snapshot purge --json`); <c>retained</c> lists the objects the prune
/// would delete but left because Object Lock still retains them (a dry run lists them too).
/// </summary>
internal sealed record PruneJson(
    bool DryRun, long BlobsDeleted, long MetadataObjectsDeleted, long BytesFreed, long BlobsKeptForGrace, long BlobsReferenced, long BytesReferenced, IReadOnlyList<RetainedJson> Retained);
