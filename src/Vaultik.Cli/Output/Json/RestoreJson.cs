using Vaultik.Core.Layout;


namespace Vaultik.Cli.Output;

/// <summary>`restore --json`: what was restored and what failed.</summary>
internal sealed record RestoreJson(
    string SnapshotId, string Target, bool DryRun, long Files, long FilesUnchanged, long Directories, long Symlinks, long Deleted,
    long BytesWritten, long BytesFetched, long BlobsRead, long BlobBytesNeeded, double DurationSeconds, IReadOnlyList<string> Planned, IReadOnlyList<string> Errors);
