using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Applies an entry's owner (when restoring ownership), mode (not for symlinks) and times to what was restored,
/// and decides which mode bits a restored or fetched entry may carry (<see cref="PermissionBits"/>).
/// </summary>
internal sealed class EntryMetadata
{
    private const int SetUid = 0x800; // 04000
    private const int SetGid = 0x400; // 02000
    private const int Sticky = 0x200; // 01000

    private readonly TargetTree _tree;
    private readonly bool _restoreOwnership;

    public EntryMetadata(TargetTree tree, bool restoreOwnership)
    {
        _tree = tree;
        _restoreOwnership = restoreOwnership;
    }

    /// <summary>Owner (when restoring ownership), mode (not for symlinks) and times, on one descriptor checked to be the inode the restore made.</summary>
    public void Apply(SnapshotEntry entry, bool isLink) =>
        _tree.ApplyMetadata(
            entry.Path,
            _restoreOwnership ? (entry.Uid, entry.Gid) : null,
            isLink ? null : PermissionBits(entry.Mode, entry.Type == MetadataSchema.TypeDirectory, _restoreOwnership),
            entry.MtimeNs);

    /// <summary>
    /// The permission bits (07777) to give an entry of <paramref name="mode"/>. With its owner restored (root, as
    /// tar does) every bit is kept. Otherwise the entry belongs to whoever restores or fetches it, so setuid and
    /// setgid are dropped (a store must not hand the restoring user, often root, a set-id program of its choosing);
    /// sticky is kept on directories, where it means "only owners may delete", and dropped on files, where Linux
    /// ignores it.
    /// </summary>
    public static int PermissionBits(long mode, bool isDirectory, bool ownerRestored)
    {
        var bits = (int)(mode & 0xFFF);
        if (ownerRestored)
        {
            return bits;
        }

        bits &= ~(SetUid | SetGid);
        return isDirectory ? bits : bits & ~Sticky;
    }
}
