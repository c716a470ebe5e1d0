using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// File-system operations confined to the restore target by directory handles (the shape of Go's os.Root):
/// the target is opened once with O_NOFOLLOW (a target that is a symlink is refused), every other path is
/// resolved beneath that descriptor without following a symlink in any component (<see cref="PosixAt"/>), and
/// every change is an *at call relative to the parent's descriptor, so neither a restored symlink nor one
/// planted or swapped in while the restore runs can redirect a read or a write outside the target. This is
/// the one type that turns a snapshot path into a target path. Parent descriptors are cached (bounded) and
/// closed on dispose. Thread-safe; constructing one touches nothing, the first operation that needs the root
/// creates it. Every file, link and directory it makes is remembered by inode (<see cref="EntryIdentity"/>), and
/// each later step on it (reopening, linking, owner, mode, times) works on a descriptor checked to be that inode,
/// never on whatever the name holds by then (TargetTree.Entries.cs).
/// </summary>
internal sealed partial class TargetTree : IDisposable
{
    private readonly string _root;
    private readonly bool _overwrite;
    private readonly DirectoryHandles _handles;
    private readonly object _lock = new();
    private readonly Dictionary<string, EntryIdentity> _made = new(StringComparer.Ordinal);
    private readonly Dictionary<(ulong Device, ulong Inode), ulong> _linkCounts = [];

    public TargetTree(string root, bool overwrite)
    {
        var full = Path.GetFullPath(root);
        _root = full.Length > 1 ? full.TrimEnd('/') : full;
        _overwrite = overwrite;
        _handles = new DirectoryHandles(_root, overwrite);
    }

    public string Root => _root;

    /// <summary>Refuses a target that is itself a symlink (the restore never writes through one).</summary>
    public void RefuseSymlinkedRoot()
    {
        if (_root.Length > 0 && Posix.TryLstat(RawName.EscapeText(_root), out var status, out _) && status.IsSymlink)
        {
            throw new ConfigurationException($"cannot restore into {_root}: it is a symlink (give the directory it points to)");
        }
    }

    /// <summary>True when the target directory exists and has something in it.</summary>
    public bool HasEntries()
    {
        using var listing = Locked(() => OpenForListing(string.Empty));
        return listing is not null && DirectoryEntries.Names(listing, _root).Count > 0;
    }

    /// <summary>Makes sure the parent directories of <paramref name="relative"/> exist and are real directories.</summary>
    public void EnsureParent(string relative) => Locked(() => _handles.Directory(ParentOf(relative), create: true, relative));

    /// <summary>Creates <paramref name="relative"/> and its parents as directories (mode 0700 until their metadata is applied).</summary>
    public void EnsureDirectory(string relative) => Locked(() =>
    {
        var status = PosixFd.Stat(_handles.Directory(relative, create: true)!, relative);
        return _made.TryGetValue(relative, out var expected) ? Require(relative, expected, status) : Remember(relative, status);
    });

    /// <summary>Creates <paramref name="relative"/> as a new regular file (mode 0600) open for writing and remembers it; when overwriting, whatever non-directory had the name is removed first.</summary>
    public SafeFileHandle CreateFile(string relative) => Locked(() =>
    {
        var parent = _handles.Directory(ParentOf(relative), create: true, relative)!;
        var handle = PosixAt.TryCreateFile(parent, LeafOf(relative), out var errno);
        if (handle is null && errno == PosixAt.EEXIST && Taken(parent, relative))
        {
            PosixAt.Unlink(parent, LeafOf(relative), directory: false, relative);
            handle = PosixAt.TryCreateFile(parent, LeafOf(relative), out errno);
        }

        if (handle is null)
        {
            throw PosixAt.Error("create", relative, errno);
        }

        try
        {
            Remember(relative, PosixFd.Stat(handle, relative));
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    });

    /// <summary>Remembers the inode behind <paramref name="handle"/> (a file this tree created and still holds open) as <paramref name="relative"/>, so it can be found by name again.</summary>
    /// <remarks>The file was created O_EXCL with one link and the restore adds none before its content is done: a
    /// second link already is someone else's (refused here rather than taken as the count to check on reopen).</remarks>
    public void RememberOpen(string relative, SafeFileHandle handle) => Locked(() =>
        _made.ContainsKey(relative) || (PosixFd.Stat(handle, relative) is var status && status.LinkCount == 1 ? Remember(relative, status) : throw Replaced(relative)));

    /// <summary>
    /// Opens the regular file <paramref name="relative"/> this tree created for writing again: checked by name
    /// first (nothing else, a device neither, is opened), then by descriptor, to be the very inode created.
    /// </summary>
    public SafeFileHandle OpenFile(string relative) => Locked(() =>
    {
        var parent = Parent(relative);
        var expected = Expected(relative);
        RequireByName(parent, relative, expected);
        var handle = PosixAt.OpenFileForWriting(parent, LeafOf(relative), relative);
        try
        {
            Require(relative, expected, PosixFd.Stat(handle, relative));
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    });

    /// <summary>Deletes the file <paramref name="relative"/> if it is there.</summary>
    public void DeleteFile(string relative) => Locked(() =>
    {
        if (_handles.Directory(ParentOf(relative), create: false) is { } parent && PosixAt.TryUnlink(parent, LeafOf(relative), directory: false) is var errno and not 0 and not PosixAt.ENOENT)
        {
            throw new IOException($"cannot delete {relative}: {PosixAt.Reason(errno)}", errno);
        }

        return _made.Remove(relative);
    });

    /// <summary>True when <paramref name="relative"/> is a regular file this tree made or adopted and still remembers (a hard link may be made to it).</summary>
    public bool IsRestoredFile(string relative) => Locked(() => _made.TryGetValue(relative, out var made) && made.Type == FileStatus.TypeRegular);

    /// <summary>
    /// Forgets what this tree made at <paramref name="relative"/> once the restore is done with it (its content,
    /// owner, mode and times are in place), so memory holds only a window's entries plus those still needed:
    /// directories (their metadata comes last) and files a hard link will name. The link count of a regular
    /// file's inode goes too unless <paramref name="keepLinkCount"/> (a hard link of a file still remembered).
    /// </summary>
    public void Forget(string relative, bool keepLinkCount = false) => Locked(() =>
    {
        if (_made.Remove(relative, out var made) && made.Type == FileStatus.TypeRegular && !keepLinkCount)
        {
            _linkCounts.Remove((made.Device, made.Inode));
        }

        return true;
    });

    /// <summary>Hard-links the file this tree restored as <paramref name="existing"/> (that very inode) as <paramref name="relative"/>.</summary>
    public void CreateHardLink(string existing, string relative) => Locked(() =>
    {
        LinkChecked(existing, relative);
        return true;
    });

    /// <summary>Creates the symlink, no stat first: symlinkat fails on a taken name, which only then is looked at (and, overwriting, removed).</summary>
    public void CreateSymlink(string relative, string linkTarget) => Locked(() =>
    {
        var parent = _handles.Directory(ParentOf(relative), create: true, relative)!;
        var errno = PosixAt.TrySymlink(linkTarget, parent, LeafOf(relative));
        if (errno == PosixAt.EEXIST && Taken(parent, relative))
        {
            PosixAt.Unlink(parent, LeafOf(relative), directory: false, relative);
            errno = PosixAt.TrySymlink(linkTarget, parent, LeafOf(relative));
        }

        if (errno != 0)
        {
            throw PosixAt.Error("create symlink", relative, errno);
        }

        RememberSymlink(parent, relative);
        return true;
    });

    /// <summary>
    /// Whether <paramref name="relative"/> is a regular file holding exactly <paramref name="chunks"/> (see
    /// <see cref="LocalFileCheck"/>). A file this tree made must still be that inode. Any other file is adopted
    /// only when the restore can trust it to stay as checked: one link, not writable by group or other, and owned
    /// by <paramref name="owner"/> when ownership is restored; its inode is then remembered like a created one.
    /// </summary>
    public bool Matches(string relative, long size, IReadOnlyList<PackedChunk> chunks, (long Uid, long Gid)? owner = null)
    {
        var candidate = Locked(() => OpenToCompare(relative, owner));
        if (candidate is null)
        {
            return false;
        }

        using (candidate.Value.File)
        {
            if (!LocalFileCheck.Matches(candidate.Value.File, size, chunks))
            {
                return false;
            }
        }

        Locked(() => _made.ContainsKey(relative) || Remember(relative, candidate.Value.Status));
        return true;
    }

    /// <summary>True when <paramref name="relative"/> is a real directory reached through real directories only.</summary>
    public bool IsDirectory(string relative) => Locked(() => _handles.Directory(relative, create: false) is not null);

    /// <summary>The names of the entries in directory <paramref name="relative"/> (read through its descriptor).</summary>
    public List<string> ChildNames(string relative)
    {
        using var listing = Locked(() => OpenForListing(relative)) ?? throw new IOException($"cannot list {relative}: it is not a directory reached through directories");
        return DirectoryEntries.Names(listing, relative);
    }

    /// <summary>Removes <paramref name="relative"/>: a real directory with everything in it, anything else (a symlink too) itself.</summary>
    public void Remove(string relative) => Locked(() =>
    {
        var parent = Parent(relative);
        _handles.Forget(relative);

        TreeRemoval.Remove(parent, LeafOf(relative), relative);
        return true;
    });

    /// <summary>Sets the owner of <paramref name="relative"/> itself (a symlink is changed, never followed), through a checked descriptor.</summary>
    public void SetOwner(string relative, long uid, long gid) => ApplyMetadata(relative, (uid, gid), null, null);

    /// <summary>Sets the permission bits of the file or directory <paramref name="relative"/> through a checked descriptor (a symlink is refused).</summary>
    public void SetMode(string relative, int mode) => ApplyMetadata(relative, null, mode, null);

    /// <summary>Sets access and modification time, not following a symlink, through a checked descriptor.</summary>
    public void SetTimes(string relative, long mtimeNs) => ApplyMetadata(relative, null, null, mtimeNs);

    public void Dispose()
    {
        lock (_lock)
        {
            _handles.Dispose();
        }
    }

    private T Locked<T>(Func<T> operation)
    {
        lock (_lock)
        {
            if (_handles.Count > DirectoryHandles.MaxCached)
            {
                _handles.DropCache();
            }

            return operation();
        }
    }

    /// <summary>The existing parent directory of <paramref name="relative"/>, or an error naming why it cannot be reached.</summary>
    private SafeFileHandle Parent(string relative) =>
        _handles.Directory(ParentOf(relative), create: false) ?? throw new IOException($"cannot restore {relative}: its parent is missing or is not a directory reached through directories (symlinks are not followed)");

    /// <summary>A fresh descriptor of directory <paramref name="relative"/> to list (listing moves a descriptor's offset).</summary>
    private SafeFileHandle? OpenForListing(string relative)
    {
        var dir = _handles.Directory(relative, create: false);
        return dir is null ? null : PosixAt.TryOpenChildDirectory(dir, ".", out _);
    }

    /// <summary>
    /// Prepares <paramref name="relative"/> for a new hard link: parents made and checked, and whatever is there
    /// removed when overwriting (a directory in the way is an error). Returns the parent's descriptor. The lstat
    /// stays here (hard links only, made once after every window): the linkat fallback by name below checks the
    /// new entry after making it and must know that nothing else had the name.
    /// </summary>
    private SafeFileHandle PrepareLeaf(string relative)
    {
        var parent = _handles.Directory(ParentOf(relative), create: true, relative)!;
        if (PosixAt.TryStat(parent, LeafOf(relative), out var status, out _))
        {
            if (status.IsDirectory)
            {
                throw new IOException($"cannot restore {relative}: a directory is in the way");
            }

            if (!_overwrite)
            {
                throw new IOException($"cannot restore {relative}: it already exists (use --overwrite)");
            }

            PosixAt.Unlink(parent, LeafOf(relative), directory: false, relative);
        }

        return parent;
    }

    private static string ParentOf(string relative) => DirectoryHandles.ParentOf(relative);

    private static string LeafOf(string relative) => DirectoryHandles.LeafOf(relative);
}
