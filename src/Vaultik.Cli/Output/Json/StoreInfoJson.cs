namespace Vaultik.Cli.Output;

/// <summary>`store info --json`.</summary>
internal sealed record StoreInfoJson(string StorageUrl, long SnapshotCount, long BlobCount, long BlobBytes);
