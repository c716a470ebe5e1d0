namespace Vaultik.Core.Source;

/// <summary>
/// One walked entry. <see cref="Path"/> is the snapshot path: the absolute path without its leading '/'.
/// Mode is the permission bits (07777); times are nanoseconds since the Unix epoch. <see cref="Xattrs"/> are its
/// stored extended attributes (<see cref="AttributeRules"/>), sorted by name bytes.
/// </summary>
public sealed record SourceEntry(
    string Path, string FullPath, EntryType Type, int Mode, long Uid, long Gid, long Size, long MtimeNs, long CtimeNs,
    ulong Inode, ulong Device, ulong LinkCount, string? LinkTarget)
{
    public IReadOnlyList<Platform.ExtendedAttribute> Xattrs { get; init; } = [];
}
