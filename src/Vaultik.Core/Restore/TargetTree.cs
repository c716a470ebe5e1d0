using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// File-system operations confined to the restore target. Every parent directory of a path is checked with
/// lstat to be a real directory (never a symlink) before anything is created in it, so neither a restored
/// symlink nor one already in the target can redirect a write outside the target. This is the one type that
/// turns a snapshot path into a target path: everything else that reads or changes the target asks it.
/// Constructing one touches nothing; the root is created by the first operation that needs it.
/// </summary>
internal sealed class TargetTree
{
    private readonly string _root;
    private readonly bool _overwrite;
    private readonly HashSet<string> _verified = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public TargetTree(string root, bool overwrite)
    {
        _root = Path.GetFullPath(root).TrimEnd('/');
        _overwrite = overwrite;
    }

    public string Root => _root;

    /// <summary>True when the target directory exists and has something in it.</summary>
    public bool HasEntries() => Directory.Exists(_root) && Directory.EnumerateFileSystemEntries(_root).Any();

    /// <summary>Makes sure the parent directories of <paramref name="relative"/> exist and are real directories.</summary>
    public void EnsureParent(string relative)
    {
        var slash = relative.LastIndexOf('/');
        EnsureDirectory(slash < 0 ? string.Empty : relative[..slash]);
    }

    /// <summary>Creates <paramref name="relative"/> and its parents as directories (mode 0700 until their metadata is applied).</summary>
    public void EnsureDirectory(string relative)
    {
        lock (_lock)
        {
            if (_verified.Contains(relative))
            {
                return;
            }

            if (relative.Length == 0)
            {
                Directory.CreateDirectory(_root);
                _verified.Add(relative);
                return;
            }

            var slash = relative.LastIndexOf('/');
            var parent = slash < 0 ? string.Empty : relative[..slash];
            if (!_verified.Contains(parent))
            {
                EnsureDirectory(parent);
            }

            var full = FullPath(relative);
            if (Posix.TryLstat(full, out var status, out _))
            {
                if (!status.IsDirectory)
                {
                    if (!_overwrite)
                    {
                        throw new IOException($"cannot restore {relative}: a non-directory is in the way (use --overwrite)");
                    }

                    File.Delete(full);
                    Directory.CreateDirectory(full);
                }
            }
            else
            {
                Directory.CreateDirectory(full);
            }

            _verified.Add(relative);
        }
    }

    /// <summary>
    /// Prepares <paramref name="relative"/> for a new file or link: parents checked, and whatever is there
    /// removed when overwriting (a directory in the way is an error).
    /// </summary>
    private string PrepareLeaf(string relative)
    {
        EnsureParent(relative);
        var full = FullPath(relative);
        if (Posix.TryLstat(full, out var status, out _))
        {
            if (status.IsDirectory)
            {
                throw new IOException($"cannot restore {relative}: a directory is in the way");
            }

            if (!_overwrite)
            {
                throw new IOException($"cannot restore {relative}: it already exists (use --overwrite)");
            }

            File.Delete(full);
        }

        return full;
    }

    /// <summary>Creates <paramref name="relative"/> as a new regular file (see <see cref="PrepareLeaf"/>) and opens it for writing.</summary>
    public SafeFileHandle CreateFile(string relative) => Posix.OpenForWriting(PrepareLeaf(relative), createNew: true);

    /// <summary>Opens the existing file <paramref name="relative"/> for writing.</summary>
    public SafeFileHandle OpenFile(string relative) => Posix.OpenForWriting(FullPath(relative), createNew: false);

    public void DeleteFile(string relative) => File.Delete(FullPath(relative));

    public void CreateHardLink(string existing, string relative) => Posix.CreateHardLink(FullPath(existing), PrepareLeaf(relative));

    public void CreateSymlink(string relative, string linkTarget) => File.CreateSymbolicLink(PrepareLeaf(relative), linkTarget);

    /// <summary>Whether <paramref name="relative"/> is a regular file holding exactly <paramref name="chunks"/> (see <see cref="LocalFileCheck"/>).</summary>
    public bool Matches(string relative, long size, IReadOnlyList<PackedChunk> chunks) => LocalFileCheck.Matches(FullPath(relative), size, chunks);

    /// <summary>True when <paramref name="relative"/> is a real directory (lstat: a symlink to one is not).</summary>
    public bool IsDirectory(string relative) => Posix.TryLstat(FullPath(relative), out var status, out _) && status.IsDirectory;

    /// <summary>The names of the entries in directory <paramref name="relative"/>.</summary>
    public List<string> ChildNames(string relative) =>
        Directory.EnumerateFileSystemEntries(FullPath(relative)).Select(child => Path.GetFileName(child)).ToList();

    /// <summary>Removes <paramref name="relative"/>: a real directory with everything in it, anything else (a symlink too) itself.</summary>
    public void Remove(string relative)
    {
        var full = FullPath(relative);
        if (Posix.TryLstat(full, out var status, out _) && status.IsDirectory)
        {
            Directory.Delete(full, recursive: true);
        }
        else
        {
            File.Delete(full);
        }
    }

    public void SetOwner(string relative, long uid, long gid) => Posix.Lchown(FullPath(relative), uid, gid);

    public void SetMode(string relative, int mode) => Posix.Chmod(FullPath(relative), mode);

    /// <summary>Sets access and modification time, not following a symlink.</summary>
    public void SetTimes(string relative, long mtimeNs) => Posix.SetTimes(FullPath(relative), mtimeNs, mtimeNs, noFollow: true);

    private string FullPath(string relative) => _root + "/" + relative;
}
