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
/// creates it.
/// </summary>
internal sealed class TargetTree : IDisposable
{
    private readonly string _root;
    private readonly bool _overwrite;
    private readonly DirectoryHandles _handles;
    private readonly object _lock = new();

    public TargetTree(string root, bool overwrite)
    {
        _root = Path.GetFullPath(root).TrimEnd('/');
        _overwrite = overwrite;
        _handles = new DirectoryHandles(_root, overwrite);
    }

    public string Root => _root;

    /// <summary>Refuses a target that is itself a symlink (the restore never writes through one).</summary>
    public void RefuseSymlinkedRoot()
    {
        if (_root.Length > 0 && Posix.TryLstat(_root, out var status, out _) && status.IsSymlink)
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
    public void EnsureDirectory(string relative) => Locked(() => _handles.Directory(relative, create: true));

    /// <summary>Creates <paramref name="relative"/> as a new regular file (mode 0600, see <see cref="PrepareLeaf"/>) open for writing.</summary>
    public SafeFileHandle CreateFile(string relative) => Locked(() => PosixAt.CreateFile(PrepareLeaf(relative), LeafOf(relative), relative));

    /// <summary>Opens the existing regular file <paramref name="relative"/> for writing (a symlink is refused).</summary>
    public SafeFileHandle OpenFile(string relative) => Locked(() => PosixAt.OpenFileForWriting(Parent(relative), LeafOf(relative), relative));

    /// <summary>Deletes the file <paramref name="relative"/> if it is there.</summary>
    public void DeleteFile(string relative) => Locked(() =>
    {
        if (_handles.Directory(ParentOf(relative), create: false) is { } parent && PosixAt.TryUnlink(parent, LeafOf(relative), directory: false) is var errno and not 0 and not PosixAt.ENOENT)
        {
            throw new IOException($"cannot delete {relative}: {PosixAt.Reason(errno)}", errno);
        }

        return true;
    });

    /// <summary>Hard-links the restored file <paramref name="existing"/> as <paramref name="relative"/>, both resolved beneath the target.</summary>
    public void CreateHardLink(string existing, string relative) => Locked(() =>
    {
        var existingParent = Parent(existing);
        PosixAt.HardLink(existingParent, LeafOf(existing), PrepareLeaf(relative), LeafOf(relative), relative);
        return true;
    });

    public void CreateSymlink(string relative, string linkTarget) => Locked(() =>
    {
        PosixAt.Symlink(linkTarget, PrepareLeaf(relative), LeafOf(relative), relative);
        return true;
    });

    /// <summary>Whether <paramref name="relative"/> is a regular file holding exactly <paramref name="chunks"/> (see <see cref="LocalFileCheck"/>).</summary>
    public bool Matches(string relative, long size, IReadOnlyList<PackedChunk> chunks)
    {
        using var file = Locked(() => _handles.Directory(ParentOf(relative), create: false) is { } parent ? PosixAt.TryOpenForReading(parent, LeafOf(relative), out _) : null);
        return file is not null && LocalFileCheck.Matches(file, size, chunks);
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

        RemoveAt(parent, LeafOf(relative), relative);
        return true;
    });

    /// <summary>Sets the owner of <paramref name="relative"/> itself (a symlink is changed, never followed).</summary>
    public void SetOwner(string relative, long uid, long gid) => Locked(() =>
    {
        PosixAt.ChangeOwner(Parent(relative), LeafOf(relative), uid, gid, relative);
        return true;
    });

    /// <summary>Sets the permission bits of the file or directory <paramref name="relative"/> through its own descriptor (a symlink is refused).</summary>
    public void SetMode(string relative, int mode) => Locked(() =>
    {
        var parent = Parent(relative);
        using var entry = PosixAt.TryOpenForReading(parent, LeafOf(relative), out var errno);
        if (entry is not null)
        {
            PosixAt.ChangeMode(entry, mode, relative);
        }
        else if (errno == PosixAt.EACCES)
        {
            PosixAt.ChangeModeAt(parent, LeafOf(relative), mode, relative);
        }
        else
        {
            throw new IOException($"cannot change mode of {relative}: {PosixAt.Reason(errno)}", errno);
        }

        return true;
    });

    /// <summary>Sets access and modification time, not following a symlink.</summary>
    public void SetTimes(string relative, long mtimeNs) => Locked(() =>
    {
        PosixAt.SetTimes(Parent(relative), LeafOf(relative), mtimeNs, relative);
        return true;
    });

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
    /// Prepares <paramref name="relative"/> for a new file or link: parents made and checked, and whatever is
    /// there removed when overwriting (a directory in the way is an error). Returns the parent's descriptor.
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

    /// <summary>Removes <paramref name="name"/> in <paramref name="parent"/>, a directory by walking its descriptor (never following a symlink).</summary>
    private static void RemoveAt(SafeFileHandle parent, string name, string shown)
    {
        var errno = PosixAt.TryUnlink(parent, name, directory: false);
        if (errno is 0 or PosixAt.ENOENT)
        {
            return;
        }

        using var dir = PosixAt.TryOpenChildDirectory(parent, name, out _) ?? throw new IOException($"cannot delete {shown}: {PosixAt.Reason(errno)}", errno);
        foreach (var child in DirectoryEntries.Names(dir, shown))
        {
            RemoveAt(dir, child, shown + "/" + child);
        }

        PosixAt.Unlink(parent, name, directory: true, shown);
    }

    private static string ParentOf(string relative) => DirectoryHandles.ParentOf(relative);

    private static string LeafOf(string relative) => DirectoryHandles.LeafOf(relative);
}
