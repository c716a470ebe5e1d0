namespace Vaultik.Cli.Output;

/// <summary>`restore --json`: what was restored and what failed.</summary>
internal sealed record RestoreJson(
    string SnapshotId, string Target, long Files, long Directories, long Symlinks, long BytesWritten, long BytesFetched, long BlobsRead,
    double DurationSeconds, IReadOnlyList<string> Errors);
