namespace Vaultik.Core.Restore;

/// <summary>One row of a snapshot's <c>files</c> table, as the restorer needs it.</summary>
public sealed record RestoreEntry(
    long Id, string Path, string Type, int Mode, long Uid, long Gid, long Size, long MtimeNs, string? LinkTarget, string? HardlinkTo);
