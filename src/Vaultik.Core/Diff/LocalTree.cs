using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;
using Vaultik.Core.Search;

namespace Vaultik.Core.Diff;

/// <summary>
/// The live file system under some roots as entries (lstat; never following a symlink), in the order of the
/// snapshot's paths (<see cref="PathOrder"/>): a priority queue of pending paths, so a directory's children
/// are listed when it is reached and interleave with its siblings' names as SQL orders them ("/a", "/a-b",
/// "/a/x"). Memory holds the pending names, not the tree. Only regular files, directories and symlinks (what a
/// snapshot stores); no exclude rules; hard links are plain files here. Paths are in the snapshot's stored form
/// (the absolute path without its leading '/').
/// </summary>
public static class LocalTree
{
    public static IEnumerable<SnapshotEntry> Walk(IEnumerable<string> roots, Action<string> warn)
    {
        var pending = new PriorityQueue<string, string>(PathOrder.Instance);
        foreach (var root in roots)
        {
            pending.Enqueue(root, root);
        }

        string? last = null;
        while (pending.TryDequeue(out var path, out _))
        {
            if (path == last)
            {
                continue;
            }

            last = path;
            if (!Posix.TryLstat("/" + path, out var status, out _))
            {
                continue;
            }

            var type = status.IsRegular ? MetadataSchema.TypeFile : status.IsDirectory ? MetadataSchema.TypeDirectory : status.IsSymlink ? MetadataSchema.TypeSymlink : null;
            if (type is null)
            {
                continue;
            }

            yield return new SnapshotEntry(-1, path, type, status.Mode, status.Uid, status.Gid, status.IsRegular ? status.Size : 0, status.MtimeNs,
                status.IsSymlink ? Posix.ReadLink("/" + path) : null, null);
            if (status.IsDirectory)
            {
                foreach (var child in Children(path, warn))
                {
                    pending.Enqueue(child, child);
                }
            }
        }
    }

    private static List<string> Children(string directory, Action<string> warn)
    {
        // getdents64 on a descriptor: names in the escaped form the snapshot stores (docs/FORMAT.md, "Names").
        using var handle = Posix.TryOpenDirectory("/" + directory, out var errno);
        if (handle is null)
        {
            warn($"cannot list /{directory}: {PosixAt.Reason(errno)}; its entries are compared as missing");
            return [];
        }

        try
        {
            return DirectoryEntries.Names(handle, "/" + directory).Select(name => directory + "/" + name).ToList();
        }
        catch (IOException ex)
        {
            warn($"cannot list /{directory}: {ex.Message}; its entries are compared as missing");
            return [];
        }
    }
}
