namespace Vaultik.Core.Prune;

/// <summary>
/// What carrying out a prune plan deleted, and what it left because Object Lock retains it (found before the
/// delete, or refused by the store during it): retained objects are neither deleted nor counted as freed.
/// </summary>
public sealed record PruneExecution(int BlobsDeleted, int MetadataDeleted, long Freed, IReadOnlyList<RetainedObject> Retained);
