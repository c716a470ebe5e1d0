namespace Vaultik.Cli.Output;

/// <summary>
/// One <c>--progress-json</c> line on stderr (README "Progress for programs"). <see cref="BytesTotal"/> and
/// <see cref="FilesTotal"/> are final when <see cref="TotalsFinal"/>; during <c>snapshot create</c> they are what the
/// walk has found so far. <see cref="EtaSeconds"/> is null while the totals are not final or nothing is done yet.
/// </summary>
internal sealed record ProgressJsonLine(
    string Type, string Command, string Snapshot, string Phase, bool Final, double ElapsedSeconds, double? EtaSeconds,
    long BytesDone, long BytesTotal, long FilesDone, long FilesTotal, bool TotalsFinal, long BytesTransferred);
