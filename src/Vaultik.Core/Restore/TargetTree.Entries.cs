using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// The inode checks of <see cref="TargetTree"/>: what it made is remembered by (device, inode, type) and, for a
/// regular file, the link count it gave the inode; owner, mode, times, reopening and hard-linking go through a
/// descriptor that is fstat-ed and refused unless it is still that inode, so an entry renamed away and replaced
/// by someone who can write its parent directory is never changed in its place. Called under the tree's lock.
/// </summary>
internal sealed partial class TargetTree
{
    /// <summary>Applies owner, mode and times (each when given) to the entry this tree made at <paramref name="relative"/>, on one checked descriptor.</summary>
    public void ApplyMetadata(
        string relative, (long Uid, long Gid)? owner, int? mode, long? mtimeNs,
        IReadOnlyList<ExtendedAttribute>? attributes = null, Action<ExtendedAttribute, int>? refused = null) => Locked(() =>
    {
        var expected = Expected(relative);
        if (expected.Type == FileStatus.TypeDirectory)
        {
            // The cached descriptor when there is one; one reopened beneath the target is checked like any other.
            var dir = _handles.Directory(relative, create: false) ?? throw Replaced(relative);
            Require(relative, expected, PosixFd.Stat(dir, relative));
            return Apply(dir, pathOnly: false, isSymlink: false, relative, owner, mode, mtimeNs, Setter(attributes, refused, a => Xattrs.TrySet(dir, a)));
        }

        var parent = Parent(relative);
        var named = RequireByName(parent, relative, expected);
        var pathOnly = !named.IsRegular;
        var errno = 0;
        var handle = named.IsRegular ? PosixAt.TryOpenForReading(parent, LeafOf(relative), out errno) : null;
        if (handle is null && (pathOnly || errno == PosixAt.EACCES))
        {
            // A symlink, or a file its owner cannot read: an O_PATH descriptor of the entry itself.
            pathOnly = true;
            handle = PosixAt.TryOpenPath(parent, LeafOf(relative), out errno);
        }

        using var entry = handle ?? throw PosixAt.Error("open", relative, errno);
        Require(relative, expected, PosixFd.Stat(entry, relative));
        // A symlink's attributes go through its own checked O_PATH descriptor too (its /proc link resolves to the
        // symlink itself, not to where it points), never by name, which a writer of the directory could swap.
        Func<ExtendedAttribute, int> set = pathOnly ? a => Xattrs.TrySetThroughPath(entry, a) : a => Xattrs.TrySet(entry, a);
        return Apply(entry, pathOnly, named.IsSymlink, relative, owner, mode, mtimeNs, Setter(attributes, refused, set));
    });

    /// <summary>
    /// Applies owner, mode, attributes and times to a regular file this tree created and still holds open (after its
    /// last write): the descriptor is the new inode itself (created O_EXCL), so no name is looked up or checked.
    /// </summary>
    public void ApplyMetadataTo(
        SafeFileHandle file, string relative, (long Uid, long Gid)? owner, int? mode, long? mtimeNs,
        IReadOnlyList<ExtendedAttribute>? attributes = null, Action<ExtendedAttribute, int>? refused = null)
    {
        // One fstat: where hard links to other users' files are allowed (fs.protected_hardlinks=0), a writer of any
        // directory on the target's file system could have linked the new inode while it was written, keeping a
        // name of its own for what is about to get the snapshot's owner, set-id bits and capabilities, outside the
        // target's directory permissions. Only the links this restore gave it (none yet: hard links come after
        // the content) are allowed.
        var status = PosixFd.Stat(file, relative);
        Locked(() => status.LinkCount == _linkCounts.GetValueOrDefault((status.Device, status.Inode), 1UL) ? true : throw Replaced(relative));
        Apply(file, pathOnly: false, isSymlink: false, relative, owner, mode, mtimeNs, Setter(attributes, refused, a => Xattrs.TrySet(file, a)));
    }

    /// <summary>What sets <paramref name="attributes"/> on the entry, each refusal reported to <paramref name="refused"/> with its errno; null when there are none.</summary>
    private static Action? Setter(IReadOnlyList<ExtendedAttribute>? attributes, Action<ExtendedAttribute, int>? refused, Func<ExtendedAttribute, int> set) =>
        attributes is not { Count: > 0 } ? null : () =>
        {
            foreach (var attribute in attributes)
            {
                if (set(attribute) is var errno and not 0)
                {
                    refused?.Invoke(attribute, errno);
                }
            }
        };

    private static bool Apply(SafeFileHandle entry, bool pathOnly, bool isSymlink, string relative, (long Uid, long Gid)? owner, int? mode, long? mtimeNs, Action? setAttributes)
    {
        if (owner is { } o)
        {
            // Owner first: chown clears setuid/setgid, which the mode then sets again.
            PosixFd.ChangeOwner(entry, o.Uid, o.Gid, relative);
        }

        if (mode is { } bits)
        {
            if (isSymlink)
            {
                throw PosixAt.Error("change mode of", relative, PosixAt.ELOOP);
            }

            PosixFd.ChangeMode(entry, pathOnly, bits, relative);
        }

        // After content, owner and mode (chown clears security.capability; an ACL sets the group bits), before times.
        setAttributes?.Invoke();
        if (mtimeNs is { } time)
        {
            PosixFd.SetTimes(entry, pathOnly, time, relative);
        }

        return true;
    }

    /// <summary>Links the checked inode of <paramref name="existing"/> as <paramref name="relative"/> and counts the new link.</summary>
    private void LinkChecked(string existing, string relative)
    {
        var expected = Expected(existing);
        if (expected.Type != FileStatus.TypeRegular)
        {
            throw new IOException($"cannot restore {relative}: {existing} is not a file this restore made");
        }

        var existingParent = Parent(existing);
        using var source = PosixAt.TryOpenPath(existingParent, LeafOf(existing), out var errno) ?? throw PosixAt.Error("hard-link", relative, errno);
        Require(existing, expected, PosixFd.Stat(source, existing));
        var parent = PrepareLeaf(relative);
        errno = PosixFd.TryLink(source, parent, LeafOf(relative));
        if (errno is PosixAt.ENOENT or PosixFd.EPERM)
        {
            // linkat(fd, "", AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH, which root has. Without it the link is made
            // by name after the check above, and the new entry is checked after: a swap in between is caught and
            // undone (and a restore without that capability changes no one else's files anyway).
            PosixAt.HardLink(existingParent, LeafOf(existing), parent, LeafOf(relative), relative);
            if (!PosixAt.TryStat(parent, LeafOf(relative), out var linked, out _) || !expected.Is(linked))
            {
                PosixAt.TryUnlink(parent, LeafOf(relative), directory: false);
                throw Replaced(existing);
            }
        }
        else if (errno != 0)
        {
            throw PosixAt.Error("hard-link", relative, errno);
        }

        _linkCounts[(expected.Device, expected.Inode)]++;
        _made[relative] = expected;
    }

    /// <summary>Remembers the symlink just made at <paramref name="relative"/> (opened O_PATH|O_NOFOLLOW; anything but a symlink there is refused).</summary>
    private void RememberSymlink(SafeFileHandle parent, string relative)
    {
        using var link = PosixAt.TryOpenPath(parent, LeafOf(relative), out var errno) ?? throw PosixAt.Error("open", relative, errno);
        var status = PosixFd.Stat(link, relative);
        if (!status.IsSymlink)
        {
            throw Replaced(relative);
        }

        Remember(relative, status);
    }

    /// <summary>
    /// A regular file at <paramref name="relative"/> to compare, opened only after lstat shows a regular file (a
    /// device or FIFO is never opened) and checked again by descriptor: the inode this tree made there, or one it
    /// may adopt. Null when neither.
    /// </summary>
    private (SafeFileHandle File, FileStatus Status)? OpenToCompare(string relative, (long Uid, long Gid)? owner)
    {
        var parent = _handles.Directory(ParentOf(relative), create: false);
        if (parent is null || !PosixAt.TryStat(parent, LeafOf(relative), out var named, out _) || !Acceptable(relative, named, owner))
        {
            return null;
        }

        var file = PosixAt.TryOpenForReading(parent, LeafOf(relative), out _);
        if (file is null)
        {
            return null;
        }

        if (PosixAt.TryStat(file, string.Empty, out var status, out _) && EntryIdentity.Of(named).Is(status) && Acceptable(relative, status, owner))
        {
            return (file, status);
        }

        file.Dispose();
        return null;
    }

    /// <summary>A regular file this tree made (still that inode with its links), or one nobody else can change: one link, not group- or other-writable, owned as the snapshot says.</summary>
    private bool Acceptable(string relative, FileStatus status, (long Uid, long Gid)? owner) =>
        status.IsRegular && (_made.TryGetValue(relative, out var expected)
            ? expected.Is(status) && status.LinkCount == _linkCounts[(status.Device, status.Inode)]
            : status.LinkCount == 1 && (status.Mode & 0x12) == 0 && (owner is null || (status.Uid == owner.Value.Uid && status.Gid == owner.Value.Gid)));

    private bool Remember(string relative, FileStatus status)
    {
        _made[relative] = EntryIdentity.Of(status);
        if (status.IsRegular)
        {
            _linkCounts[(status.Device, status.Inode)] = status.LinkCount;
        }

        return true;
    }

    private EntryIdentity Expected(string relative) =>
        _made.TryGetValue(relative, out var expected) ? expected : throw new IOException($"cannot restore {relative}: it was not restored in this run");

    /// <summary>Checks by name (lstat, nothing opened) that <paramref name="relative"/> is still the remembered inode; returns its status.</summary>
    private FileStatus RequireByName(SafeFileHandle parent, string relative, EntryIdentity expected)
    {
        if (!PosixAt.TryStat(parent, LeafOf(relative), out var status, out var errno))
        {
            throw errno == PosixAt.ENOENT ? Replaced(relative) : PosixAt.Error("stat", relative, errno);
        }

        Require(relative, expected, status);
        return status;
    }

    private bool Require(string relative, EntryIdentity expected, FileStatus status) =>
        expected.Is(status) && (!status.IsRegular || _linkCounts.GetValueOrDefault((status.Device, status.Inode)) == status.LinkCount) ? true : throw Replaced(relative);

    private static IOException Replaced(string relative) => new($"cannot restore {relative}: it was replaced while restoring");
}
