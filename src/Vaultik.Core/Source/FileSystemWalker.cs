using Vaultik.Core.Platform;

namespace Vaultik.Core.Source;

/// <summary>
/// Walks the roots depth-first, directories before their contents and names in ordinal order, with one
/// statx per entry. Symlinks are stored, never followed. Each root's ancestor directories are emitted first
/// (so a restore can recreate them with their modes). Excluded entries are not visited (glob patterns, files
/// above the size limit; a tagged directory is stored with only its markers, <see cref="ExcludeRules"/>); directories on
/// another filesystem are stored but not entered when <see cref="WalkOptions.OneFileSystem"/> is set. With an
/// <see cref="IWalkShortcut"/>, a directory it vouches for is not listed: its earlier contents are yielded instead.
/// </summary>
public sealed class FileSystemWalker
{
    private readonly WalkOptions _options;
    private readonly IWalkObserver _observer;
    private readonly ExcludeMatcher _excludes;
    private readonly IWalkShortcut? _shortcut;
    private readonly DirectoryTags _tags;

    public FileSystemWalker(WalkOptions options, IWalkObserver observer, IWalkShortcut? shortcut = null)
    {
        _options = options;
        _observer = observer;
        _excludes = new ExcludeMatcher(options.Excludes);
        _shortcut = shortcut;
        _tags = new DirectoryTags(options.Rules);
    }

    /// <summary>
    /// The entries under <paramref name="roots"/>. Roots are checked up front: a missing or unreadable root
    /// throws <see cref="ConfigurationException"/> on the first MoveNext, before anything is written.
    /// </summary>
    public IEnumerable<SourceEntry> Walk(IReadOnlyList<string> roots)
    {
        var normalized = Normalize(roots);
        var checkedRoots = new List<(string Path, FileStatus Status)>();
        foreach (var root in normalized)
        {
            if (!Posix.TryLstat(root, out var status, out var errno))
            {
                throw new ConfigurationException($"cannot back up {root}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
            }

            if (status.IsDirectory && !CanList(root))
            {
                throw new ConfigurationException($"cannot back up {root}: permission denied");
            }

            checkedRoots.Add((root, status));
        }

        return WalkChecked(checkedRoots);
    }

    private IEnumerable<SourceEntry> WalkChecked(List<(string Path, FileStatus Status)> roots)
    {
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (root, status) in roots)
        {
            foreach (var ancestor in Ancestors(root))
            {
                if (emitted.Add(ancestor) && Posix.TryLstat(ancestor, out var a, out _) && a.IsDirectory)
                {
                    yield return WithXattrs(Entry(ancestor, a, null), a);
                }
            }

            foreach (var entry in WalkRoot(root, status))
            {
                yield return entry;
            }
        }
    }

    private IEnumerable<SourceEntry> WalkRoot(string root, FileStatus rootStatus)
    {
        var first = Describe(root, rootStatus);
        if (first is null)
        {
            yield break;
        }

        if (root != "/")
        {
            yield return first;
        }

        if (!rootStatus.IsDirectory)
        {
            yield break;
        }

        if (_shortcut is not null && _shortcut.TryReuse(first, out var reusedRoot))
        {
            foreach (var reused in reusedRoot)
            {
                yield return Reread(reused);
            }

            yield break;
        }

        var stack = new Stack<IEnumerator<string>>();
        stack.Push(Contents(root).GetEnumerator());
        while (stack.Count > 0)
        {
            var children = stack.Peek();
            if (!children.MoveNext())
            {
                children.Dispose();
                stack.Pop();
                continue;
            }

            var path = children.Current;
            if (!Posix.TryLstat(path, out var status, out var statError))
            {
                _observer.Skipped(path, statError == PosixAt.ENOENT ? "vanished before it could be read" : $"cannot stat: {PosixAt.Reason(statError)}", isError: true);
                continue;
            }

            var relative = path[(root.Length == 1 ? 1 : root.Length + 1)..];
            if (_excludes.IsExcluded(relative, path[1..], status.IsDirectory)
                || (_options.Rules.LargerThan > 0 && status.IsRegular && status.Size > _options.Rules.LargerThan))
            {
                continue;
            }

            var entry = Describe(path, status);
            if (entry is null)
            {
                continue;
            }

            yield return entry;
            if (!status.IsDirectory)
            {
                continue;
            }

            if (_options.OneFileSystem && status.Device != rootStatus.Device)
            {
                _observer.Skipped(path, "is on another filesystem; its contents are not backed up (one_file_system)", isError: false);
                continue;
            }

            if (_shortcut is not null && _shortcut.TryReuse(entry, out var reusedContents))
            {
                foreach (var reused in reusedContents)
                {
                    yield return Reread(reused);
                }

                continue;
            }

            stack.Push(Contents(path).GetEnumerator());
        }
    }

    private SourceEntry? Describe(string path, FileStatus status)
    {
        if (status.IsRegular || status.IsDirectory)
        {
            return WithXattrs(Entry(path, status, null), status);
        }

        if (status.IsSymlink)
        {
            var target = Posix.ReadLink(path);
            if (target is null)
            {
                _observer.Skipped(path, "symlink vanished before it could be read", isError: true);
                return null;
            }

            return WithXattrs(Entry(path, status, target), status);
        }

        var kind = status.Type switch
        {
            0xC000 => "socket",
            0x1000 => "FIFO",
            0x2000 => "character device",
            0x6000 => "block device",
            _ => "special file",
        };
        _observer.Skipped(path, $"{kind} skipped", isError: false);
        return null;
    }

    /// <summary>The entry with its extended attributes read (<see cref="AttributeReader"/>); what cannot be read is a warning naming it.</summary>
    private SourceEntry WithXattrs(SourceEntry entry, FileStatus status) =>
        entry with { Xattrs = AttributeReader.Read(entry.FullPath, status, reason => _observer.Skipped(entry.FullPath, reason, isError: true)) };

    /// <summary>
    /// An entry a shortcut took from the previous walk, with its attributes read now: the walk record keeps no
    /// attributes, and the watcher's dirty set is what vouches for the entry, not for its attributes' bytes.
    /// </summary>
    private SourceEntry Reread(SourceEntry reused) => WithXattrs(reused, StatusOf(reused));

    private static FileStatus StatusOf(SourceEntry e) => new(
        e.Type switch { EntryType.Directory => FileStatus.TypeDirectory, EntryType.Symlink => FileStatus.TypeSymlink, _ => FileStatus.TypeRegular },
        e.Mode, e.Uid, e.Gid, e.Size, e.MtimeNs, e.CtimeNs, 0, e.Inode, e.Device, e.LinkCount, 0);

    private static SourceEntry Entry(string path, FileStatus s, string? linkTarget) => new(
        path.TrimStart('/'),
        path,
        s.IsDirectory ? EntryType.Directory : s.IsSymlink ? EntryType.Symlink : EntryType.File,
        s.Mode, s.Uid, s.Gid, s.IsRegular ? s.Size : 0, s.MtimeNs, s.CtimeNs, s.Inode, s.Device, s.LinkCount, linkTarget);

    /// <summary>What of a directory is walked: its markers only when a CACHEDIR.TAG or exclude_if_present marker tags it, else every entry.</summary>
    private IEnumerable<string> Contents(string directory) =>
        _options.Rules.IsEmpty || !_tags.IsTagged(directory, out var keep) ? Children(directory) : keep;

    /// <summary>
    /// The directory's entries as full paths in ordinal order of their escaped names (<see cref="RawName"/>: a
    /// name that is not valid UTF-8 is kept, byte-exact); an unreadable directory is reported and yields nothing.
    /// </summary>
    private IEnumerable<string> Children(string directory)
    {
        List<string> names;
        try
        {
            using var handle = Posix.TryOpenDirectory(directory, out var errno);
            if (handle is null)
            {
                _observer.Skipped(directory, errno is PosixAt.EACCES or PosixFd.EPERM ? "permission denied; its contents are not backed up" : $"cannot list: {PosixAt.Reason(errno)}", isError: true);
                return [];
            }

            names = DirectoryEntries.Names(handle, directory);
        }
        catch (IOException ex)
        {
            _observer.Skipped(directory, $"cannot list: {ex.Message}", isError: true);
            return [];
        }

        names.Sort(StringComparer.Ordinal);
        var prefix = directory == "/" ? "/" : directory + "/";
        return names.Select(name => prefix + name);
    }

    private static bool CanList(string directory)
    {
        using var handle = Posix.TryOpenDirectory(directory, out var errno);
        return handle is not null || errno is not (PosixAt.EACCES or PosixFd.EPERM);
    }

    private static List<string> Normalize(IReadOnlyList<string> roots)
    {
        var full = roots.Select(r => RawName.Canonical(Path.GetFullPath(r))).Select(r => r.Length > 1 ? r.TrimEnd('/') : r).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return full.Where(r => !full.Any(o => o != r && (o == "/" || r.StartsWith(o + "/", StringComparison.Ordinal)))).ToList();
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < parts.Length; i++)
        {
            yield return "/" + string.Join('/', parts[..i]);
        }
    }
}
