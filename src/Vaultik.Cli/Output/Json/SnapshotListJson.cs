namespace Vaultik.Cli.Output;

/// <summary>`snapshot list --json`: one element per complete snapshot, oldest first.</summary>
internal sealed record SnapshotListJson(
    string Id, string Name, string Hostname, DateTimeOffset Created, long FileCount, long TotalSize, long BlobCount, long CompressedSize);
