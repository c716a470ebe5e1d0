namespace Vaultik.Cli.Output;

/// <summary>A verb's live counters as <see cref="ProgressJson"/> reads them once a second.</summary>
internal readonly record struct ProgressSample(
    string Phase, long BytesDone, long BytesTotal, long FilesDone, long FilesTotal, bool TotalsFinal, long BytesTransferred);
