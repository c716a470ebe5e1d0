using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Source;

/// <summary>
/// Reads an entry's stored extended attributes (<see cref="AttributeRules"/>) during the walk: a file or directory
/// through a descriptor opened without following a symlink and checked to be the inode the walk stat'ed, a symlink
/// through its directory's descriptor. Read on every walk, also for files whose content the index vouches for
/// (a changed attribute changes only ctime). Most entries have none: one llistxattr by path that lists no name
/// settles that without a descriptor (an empty answer discloses nothing even if a path component was swapped);
/// only an entry with names, or an error, costs the open, fstat check, listxattr and close. Attributes that do not fit are left out with a warning.
/// </summary>
internal static class AttributeReader
{
    /// <summary>The attributes of the entry at <paramref name="fullPath"/>, sorted by name bytes; problems go to <paramref name="warn"/>.</summary>
    public static IReadOnlyList<ExtendedAttribute> Read(string fullPath, FileStatus status, Action<string> warn)
    {
        if (Xattrs.HasNoNames(fullPath))
        {
            return [];
        }

        if (status.IsSymlink)
        {
            var parent = Path.GetDirectoryName(fullPath) ?? "/";
            using var dir = Xattrs.TryOpenDirectoryPath(parent, out var dirErrno);
            if (dir is null)
            {
                return Failed(dirErrno, warn);
            }

            var name = Path.GetFileName(fullPath);
            var linkNames = Xattrs.ListSymlinkNames(dir, name, out var errno);
            return errno != 0 ? Failed(errno, warn) : Collect(linkNames, n => (Xattrs.GetSymlink(dir, name, n, out var e), e), warn);
        }

        using var handle = Xattrs.TryOpen(fullPath, status.IsDirectory, out var openErrno);
        if (handle is null)
        {
            // Unreadable (a non-root run): the content read, or the listing, reports the entry itself.
            return openErrno is PosixAt.EACCES or PosixAt.ENOENT ? [] : Failed(openErrno, warn);
        }

        if (!SameInode(handle, status))
        {
            return [];
        }

        var names = Xattrs.ListNames(handle, out var listErrno);
        return listErrno != 0 ? Failed(listErrno, warn) : Collect(names, n => (Xattrs.Get(handle, n, out var e), e), warn);
    }

    private static bool SameInode(SafeFileHandle handle, FileStatus status) =>
        PosixAt.TryStat(handle, string.Empty, out var now, out _) && now.Inode == status.Inode && now.Device == status.Device;

    private static List<ExtendedAttribute> Collect(List<byte[]> names, Func<byte[], (byte[]? Value, int Error)> get, Action<string> warn)
    {
        var kept = names.Where(n => AttributeRules.IsStored(n)).ToList();
        kept.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        var attributes = new List<ExtendedAttribute>(kept.Count);
        var total = 0;
        foreach (var name in kept)
        {
            var (value, errno) = get(name);
            if (value is null)
            {
                if (errno != Xattrs.ENODATA)
                {
                    warn(errno == Xattrs.ERANGE
                        ? $"extended attribute {AttributeRules.Shown(name)} is larger than {AttributeRules.MaxValueBytes} bytes and was not stored"
                        : $"cannot read extended attribute {AttributeRules.Shown(name)}: {PosixAt.Reason(errno)}");
                }

                continue;
            }

            var attribute = new ExtendedAttribute(name, value);
            if (total + AttributeRules.Cost(attribute) > AttributeRules.MaxEntryBytes)
            {
                warn($"extended attribute {attribute.ShownName} was not stored: the entry's attributes exceed {AttributeRules.MaxEntryBytes} bytes");
                continue;
            }

            total += AttributeRules.Cost(attribute);
            attributes.Add(attribute);
        }

        return attributes;
    }

    private static List<ExtendedAttribute> Failed(int errno, Action<string> warn)
    {
        warn($"cannot read its extended attributes: {PosixAt.Reason(errno)}");
        return [];
    }
}
