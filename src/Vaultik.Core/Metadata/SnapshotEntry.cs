namespace Vaultik.Core.Metadata;

/// <summary>One row of a snapshot's <c>files</c> table, as restore, fetch and verify read it.</summary>
public sealed record SnapshotEntry(
    long Id, string Path, string Type, int Mode, long Uid, long Gid, long Size, long MtimeNs, string? LinkTarget, string? HardlinkTo);
