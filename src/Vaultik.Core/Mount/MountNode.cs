namespace Vaultik.Core.Mount;

/// <summary>
/// What getattr reports for one path of the mount: a virtual node (the top, <c>snapshots/</c>, <c>hosts/</c> and
/// their entries) or an entry of a snapshot as stored. <see cref="Mode"/> holds only the permission bits
/// (0..0o7777); the binding adds the type bits. <see cref="ContentId"/> is the files row whose chunks hold a
/// regular file's content (a hard link's target), -1 otherwise.
/// </summary>
public sealed record MountNode(
    MountNodeKind Kind, int Mode, long Uid, long Gid, long Size, long MtimeNs, long LinkCount, ulong Inode, string? LinkTarget, int Snapshot, long ContentId);
