using Vaultik.Age;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Mount;

/// <summary>
/// The mounted filesystem, independent of FUSE (the binding in Fuse/ only converts): paths in, attributes,
/// link targets, directory pages and file bytes out, errors as positive errno values (0 for success).
/// Read-only: opening for writing answers EROFS. Calls are serialised on one lock. Snapshot metadata is
/// opened lazily (<see cref="OpenSnapshots"/>), file content read through a bounded <see cref="PlainChunkCache"/>.
/// </summary>
public sealed class MountFileSystem : IDisposable
{
    /// <summary>Rows per directory page query.</summary>
    public const int PageSize = 256;

    private const int MaxWarnings = 100;

    private readonly MountLayout _layout;
    private readonly IMountSource _source;
    private readonly OpenSnapshots _snapshots;
    private readonly Action<string> _warn;
    private readonly Dictionary<ulong, MountFile> _files = [];
    private readonly Dictionary<ulong, DirectoryCursor> _directories = [];
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private ulong _nextHandle = 1;

    public MountFileSystem(MountLayout layout, IMountSource source, string workDirectory, Action<string> warn, long cacheBytes = PlainChunkCache.DefaultCapacity, int openSnapshots = OpenSnapshots.DefaultCapacity)
    {
        _layout = layout;
        _source = source;
        _warn = warn;
        _snapshots = new OpenSnapshots(source, layout.Manifests, workDirectory, Warn, openSnapshots);
        Cache = new PlainChunkCache(cacheBytes);
    }

    public PlainChunkCache Cache { get; }

    /// <summary>How many snapshots' metadata is open now.</summary>
    public int OpenSnapshotCount => _snapshots.Count;

    public int GetAttr(string path, out MountNode? node)
    {
        lock (_lock)
        {
            return Guard(() => Resolve(path, out _, out _), out node);
        }
    }

    public int ReadLink(string path, out string? target)
    {
        var errno = GetAttr(path, out var node);
        target = node?.LinkTarget;
        return errno != 0 ? errno : node!.Kind == MountNodeKind.Symlink ? 0 : Errno.EINVAL;
    }

    public int Open(string path, bool forWriting, out ulong handle)
    {
        handle = 0;
        lock (_lock)
        {
            var errno = Guard(() => Resolve(path, out _, out _), out var node);
            if (errno != 0)
            {
                return errno;
            }

            if (forWriting)
            {
                return Errno.EROFS;
            }

            if (node!.Kind != MountNodeKind.File)
            {
                return node.Kind == MountNodeKind.Directory ? Errno.EISDIR : Errno.EINVAL;
            }

            var snapshot = _snapshots.Get(node.Snapshot);
            MountFile? file = null;
            errno = snapshot is null ? Errno.EIO : Guard(() => MountFile.Load(snapshot, path, node.ContentId, node.Size), out file);
            if (errno == 0)
            {
                handle = _nextHandle++;
                _files[handle] = file!;
            }

            return errno;
        }
    }

    /// <summary>Bytes read into <paramref name="buffer"/> from <paramref name="offset"/>, or a negative errno.</summary>
    public int Read(ulong handle, Span<byte> buffer, long offset)
    {
        lock (_lock)
        {
            if (!_files.TryGetValue(handle, out var file))
            {
                return -Errno.EBADF;
            }

            try
            {
                return file.Read(buffer, offset, Cache, _source);
            }
            catch (Exception ex) when (IsExpected(ex))
            {
                Warn(ex.Message);
                return -Errno.EIO;
            }
        }
    }

    public void Release(ulong handle)
    {
        lock (_lock)
        {
            _files.Remove(handle);
        }
    }

    public int OpenDirectory(string path, out ulong handle)
    {
        handle = 0;
        lock (_lock)
        {
            var slot = -1;
            var inner = string.Empty;
            var errno = Guard(() => Resolve(path, out slot, out inner), out var node);
            if (errno != 0)
            {
                return errno;
            }

            if (node!.Kind != MountNodeKind.Directory)
            {
                return Errno.ENOTDIR;
            }

            errno = Guard(() => new DirectoryCursor(slot < 0 ? VirtualChildren(path) : null, slot, inner), out var cursor);
            if (errno == 0)
            {
                handle = _nextHandle++;
                _directories[handle] = cursor!;
            }

            return errno;
        }
    }

    /// <summary>
    /// Hands the directory's entries from position <paramref name="offset"/> (0: the start; 0 and 1 are "." and
    /// "..") to <paramref name="fill"/> with the position after each, until it returns false (its buffer is full).
    /// </summary>
    public int ReadDirectory(ulong handle, long offset, Func<string, MountNode?, long, bool> fill)
    {
        lock (_lock)
        {
            if (!_directories.TryGetValue(handle, out var cursor))
            {
                return Errno.EBADF;
            }

            try
            {
                return cursor.Fill(offset, fill, _snapshots.Get) ? 0 : Errno.EIO;
            }
            catch (Exception ex) when (IsExpected(ex))
            {
                Warn(ex.Message);
                return Errno.EIO;
            }
        }
    }

    public void ReleaseDirectory(ulong handle)
    {
        lock (_lock)
        {
            _directories.Remove(handle);
        }
    }

    /// <summary>
    /// The node at <paramref name="path"/> (a FUSE path: "/" or "/a/b"), with the snapshot slot and in-snapshot
    /// path for a snapshot directory's listing (-1 and "" for virtual ones). Null: no such entry.
    /// </summary>
    private MountNode? Resolve(string path, out int slot, out string inner)
    {
        slot = -1;
        inner = string.Empty;
        var parts = path.Trim('/').Split('/', 3);
        var top = parts[0];
        if (top.Length == 0)
        {
            return VirtualDirectory(path);
        }

        if (top == "snapshots")
        {
            if (parts.Length == 1)
            {
                return VirtualDirectory(path);
            }

            if (_layout.Slot(parts[1]) is not { } found)
            {
                return null;
            }

            slot = found;
            if (parts.Length == 2)
            {
                var created = _layout.Manifests[found].Created.ToUnixTimeMilliseconds() * 1_000_000;
                return new MountNode(MountNodeKind.Directory, 0x16D, Posix.EffectiveUid, Posix.EffectiveGid, 0, created, 1, SnapshotNodes.Inode(found, 0), null, found, -1);
            }

            inner = parts[2];
            var snapshot = _snapshots.Get(found) ?? throw new VaultikException(_snapshots.Failure(found) ?? $"cannot open snapshot {parts[1]}");
            var entry = snapshot.FindEntry(inner);
            return entry is null ? null : SnapshotNodes.From(snapshot, found, entry) ?? throw new CorruptDataException($"cannot read {inner} of snapshot {parts[1]}: its metadata row breaks the format's rules");
        }

        if (top != "hosts")
        {
            return null;
        }

        if (parts.Length == 1 || (parts.Length == 2 && _layout.HostLinks(parts[1]) is not null))
        {
            return VirtualDirectory(path);
        }

        if (parts.Length == 3 && _layout.HostLinks(parts[1]) is { } links && links.TryGetValue(parts[2], out var target))
        {
            return new MountNode(MountNodeKind.Symlink, 0x1FF, Posix.EffectiveUid, Posix.EffectiveGid, target.Length, _layout.NewestNs, 1, VirtualInode(path), target, -1, -1);
        }

        return null;
    }

    private MountNode VirtualDirectory(string path) =>
        new(MountNodeKind.Directory, 0x16D, Posix.EffectiveUid, Posix.EffectiveGid, 0, _layout.NewestNs, 1, path.Trim('/').Length == 0 ? 1 : VirtualInode(path), null, -1, -1);

    /// <summary>The names in a virtual directory, with their nodes.</summary>
    private List<(string Name, MountNode Node)> VirtualChildren(string path)
    {
        var trimmed = path.Trim('/');
        IEnumerable<string> names = trimmed switch
        {
            "" => ["hosts", "snapshots"],
            "snapshots" => _layout.Snapshots.Select(s => s.Id),
            "hosts" => _layout.Hosts,
            _ when trimmed.StartsWith("hosts/", StringComparison.Ordinal) => _layout.HostLinks(trimmed["hosts/".Length..])?.Keys ?? [],
            _ => [],
        };
        return names.Select(n => (n, Resolve($"/{trimmed}/{n}", out _, out _)!)).ToList();
    }

    private static ulong VirtualInode(string path) => (1UL << 63) | ((ulong)path.GetHashCode(StringComparison.Ordinal) & 0xFFFF_FFFF);

    /// <summary>Runs <paramref name="work"/>, mapping null to ENOENT and a read failure to EIO (reported once).</summary>
    private int Guard<T>(Func<T?> work, out T? result)
        where T : class
    {
        result = null;
        try
        {
            result = work();
            return result is null ? Errno.ENOENT : 0;
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            Warn(ex.Message);
            return Errno.EIO;
        }
    }

    private static bool IsExpected(Exception ex) => ex is VaultikException or AgeException or IOException or UnauthorizedAccessException;

    private void Warn(string message)
    {
        if (_warned.Count < MaxWarnings && _warned.Add(message))
        {
            _warn(message);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _snapshots.Dispose();
        }
    }
}
