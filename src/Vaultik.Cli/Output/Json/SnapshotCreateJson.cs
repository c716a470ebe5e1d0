namespace Vaultik.Cli.Output;

/// <summary>`snapshot create --json`: one entry per snapshot made.</summary>
internal sealed record SnapshotCreateJson(
    string Id,
    string Name,
    string Hostname,
    long FilesScanned,
    long FilesNew,
    long FilesChanged,
    long FilesUnchanged,
    long FilesSkipped,
    long BytesRead,
    long BytesNew,
    long BytesCompressed,
    long BytesUploaded,
    long ChunksNew,
    long ChunksDeduplicated,
    long BlobsUploaded,
    long BlobCount,
    long CompressedSize,
    double DurationSeconds,
    IReadOnlyList<string> Warnings);
