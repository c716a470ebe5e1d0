using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// The directory descriptors of one restore target: the root, opened once with O_NOFOLLOW (created first when
/// asked), and a bounded cache of directories beneath it, each reached from a cached ancestor without following
/// a symlink in any component (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, or openat O_NOFOLLOW per component).
/// Not thread-safe: <see cref="TargetTree"/> holds its lock around every use. Dispose closes every descriptor.
/// </summary>
internal sealed class DirectoryHandles : IDisposable
{
    public const int MaxCached = 256;

    private readonly string _root;
    private readonly bool _overwrite;
    private readonly Dictionary<string, SafeFileHandle> _directories = new(StringComparer.Ordinal);
    private SafeFileHandle? _rootHandle;

    public DirectoryHandles(string root, bool overwrite)
    {
        _root = root;
        _overwrite = overwrite;
    }

    public int Count => _directories.Count;

    /// <summary>Forgets (and closes) the cached descriptors of <paramref name="relative"/> and everything below it, before it is removed.</summary>
    public void Forget(string relative)
    {
        foreach (var key in _directories.Keys.Where(k => PathRules.IsUnder(k, relative)).ToList())
        {
            _directories.Remove(key, out var handle);
            handle!.Dispose();
        }
    }

    public void Dispose()
    {
        DropCache();
        _rootHandle?.Dispose();
        _rootHandle = null;
    }

    /// <summary>Closes every cached descriptor except the root's.</summary>
    public void DropCache()
    {
        foreach (var handle in _directories.Values)
        {
            handle.Dispose();
        }

        _directories.Clear();
    }

    /// <summary>
    /// The descriptor of directory <paramref name="relative"/> (cached). Without <paramref name="create"/>: null
    /// when it is missing, not a directory, or reached through a symlink. With it: missing directories are made
    /// (0700); a non-directory in the way, a symlink too (the link, never what it points at), is replaced when
    /// overwriting and refused otherwise.
    /// </summary>
    public SafeFileHandle? Directory(string relative, bool create, string? entry = null)
    {
        if (relative.Length == 0)
        {
            return RootHandle(create);
        }

        if (_directories.TryGetValue(relative, out var cached))
        {
            return cached;
        }

        var parentPath = ParentOf(relative);
        var parent = create ? Directory(parentPath, create: true, entry ?? relative) : ClosestCached(ref parentPath);
        if (parent is null)
        {
            return null;
        }

        var name = create ? LeafOf(relative) : parentPath.Length == 0 ? relative : relative[(parentPath.Length + 1)..];
        var handle = create ? PosixAt.TryOpenChildDirectory(parent, name, out var errno) : PosixAt.TryOpenDirectoryBeneath(parent, name, out errno);
        if (handle is null && create)
        {
            handle = MakeDirectory(parent, name, relative, entry ?? relative, errno);
        }

        if (handle is not null)
        {
            _directories[relative] = handle;
        }

        return handle;
    }

    /// <summary>Creates <paramref name="name"/> in <paramref name="parent"/> after opening it as a directory failed with <paramref name="errno"/>.</summary>
    private SafeFileHandle MakeDirectory(SafeFileHandle parent, string name, string relative, string entry, int errno)
    {
        var where = entry == relative ? string.Empty : $" ({relative} in the target)";
        if (errno != PosixAt.ENOENT)
        {
            if (!PosixAt.TryStat(parent, name, out var status, out _))
            {
                throw new IOException($"cannot restore {entry}: {PosixAt.Reason(errno)}{where}", errno);
            }

            if (!_overwrite)
            {
                throw status.IsSymlink
                    ? new IOException($"cannot restore {entry}: a symlink is in the way (not followed; --overwrite replaces it){where}", PosixAt.ELOOP)
                    : new IOException($"cannot restore {entry}: a non-directory is in the way (use --overwrite){where}");
            }

            // Overwriting: the link itself (or file) is removed, relative to its parent's descriptor; its target is never touched.

            PosixAt.Unlink(parent, name, directory: false, relative);
        }

        PosixAt.MakeDirectory(parent, name, relative);
        return PosixAt.TryOpenChildDirectory(parent, name, out var again) ?? throw new IOException($"cannot restore {relative}: {PosixAt.Reason(again)}", again);
    }

    /// <summary>The deepest cached ancestor of (or at) <paramref name="path"/>, which is shortened to it; the root at the latest.</summary>
    private SafeFileHandle? ClosestCached(ref string path)
    {
        while (path.Length > 0)
        {
            if (_directories.TryGetValue(path, out var cached))
            {
                return cached;
            }

            path = ParentOf(path);
        }

        return RootHandle(create: false);
    }

    private SafeFileHandle? RootHandle(bool create)
    {
        if (_rootHandle is not null)
        {
            return _rootHandle;
        }

        if (!create && !Posix.TryLstat(RawName.EscapeText(_root), out _, out _))
        {
            return null;
        }

        if (create)
        {
            System.IO.Directory.CreateDirectory(_root);
        }

        _rootHandle = PosixAt.OpenDirectoryNoFollow(_root);
        return _rootHandle;
    }

    public static string ParentOf(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? string.Empty : relative[..slash];
    }

    public static string LeafOf(string relative) => relative[(relative.LastIndexOf('/') + 1)..];
}
