using System.Text;
using Vaultik.Core.Metadata;
using Vaultik.Core.Restore;

namespace Vaultik.Core.Mount;

/// <summary>
/// Turns a snapshot's files rows into <see cref="MountNode"/>s as stored: permission bits, owner, size, mtime
/// (ns), symlink target, and for regular files the link count (one plus the entries that are hard links of
/// it) and an inode number shared by every name of the inode. A row that breaks the format's rules (a hostile
/// or damaged store) gives null: the binding answers EIO.
/// </summary>
public static class SnapshotNodes
{
    public static MountNode? From(MetadataReader snapshot, int slot, SnapshotEntry entry)
    {
        if (entry.Mode is < 0 or > 0xFFF || PathRules.Check(entry.Path) is not null)
        {
            return null;
        }

        switch (entry.Type)
        {
            case MetadataSchema.TypeDirectory:
                // 1: "unknown", so tools do not infer the number of subdirectories from it.
                return new MountNode(MountNodeKind.Directory, entry.Mode, entry.Uid, entry.Gid, 0, entry.MtimeNs, 1, Inode(slot, entry.Id), null, slot, -1);
            case MetadataSchema.TypeSymlink:
                return PathRules.CheckLinkTarget(entry.LinkTarget) is not null ? null
                    : new MountNode(MountNodeKind.Symlink, entry.Mode, entry.Uid, entry.Gid, Encoding.UTF8.GetByteCount(entry.LinkTarget!), entry.MtimeNs, 1, Inode(slot, entry.Id), entry.LinkTarget, slot, -1);
            case MetadataSchema.TypeFile:
                var content = entry;
                if (entry.HardlinkTo is { } target)
                {
                    content = snapshot.FindEntry(target);
                    if (content is null || content.Type != MetadataSchema.TypeFile || content.HardlinkTo is not null)
                    {
                        return null;
                    }
                }

                var links = 1 + snapshot.HardLinksTo(content.Path);
                return new MountNode(MountNodeKind.File, entry.Mode, entry.Uid, entry.Gid, content.Size, entry.MtimeNs, links, Inode(slot, content.Id), null, slot, content.Id);
            default:
                return null;
        }
    }

    /// <summary>Snapshot <paramref name="slot"/>'s files row <paramref name="id"/>, as an inode number unique within the mount.</summary>
    public static ulong Inode(int slot, long id) => ((ulong)(slot + 1) << 40) | ((ulong)id & 0xFF_FFFF_FFFF);
}
