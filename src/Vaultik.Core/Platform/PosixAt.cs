using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vaultik.Core.Platform;

/// <summary>
/// The *at(2) calls that work relative to a directory descriptor and never follow a symlink: openat2 with
/// RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS (per-component openat O_NOFOLLOW where openat2 is missing or filtered),
/// mkdirat, unlinkat, renameat, linkat, symlinkat, fchownat, fchmod(at2), utimensat and statx (listing: <see cref="DirectoryEntries"/>). Names passed as
/// <c>name</c> are single components in <see cref="RawName"/>'s escaped form; <c>shown</c> is the path named in errors. Errors become
/// <see cref="IOException"/>s carrying the errno as their HResult.
/// </summary>
public static unsafe partial class PosixAt
{
    public const int ENOENT = 2, EACCES = 13, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENOSPC = 28;

    private static readonly int ODirectory = OpenFlags.Directory;
    private static readonly int ONoFollow = OpenFlags.NoFollow;
    private const int OWriteOnly = OpenFlags.WriteOnly, OCreate = OpenFlags.Create, OExclusive = OpenFlags.Exclusive;
    private const int ONoCtty = OpenFlags.NoCtty, ONonBlock = OpenFlags.NonBlock, OCloseOnExec = OpenFlags.CloseOnExec, OPath = OpenFlags.Path;
    private const int AtSymlinkNoFollow = 0x100, AtRemoveDir = 0x200, AtEmptyPath = 0x1000;
    private const ulong ResolveNoMagicLinks = 0x02, ResolveNoSymlinks = 0x04, ResolveBeneath = 0x08;
    private const long SysOpenat2 = 437;
    private const int EPERM = 1, EAGAIN = 11;

    private static volatile bool _openat2Missing;

    /// <summary>False after openat2 returned ENOSYS or EPERM (old kernel, seccomp filter); tests can force the fallback.</summary>
    public static bool UseOpenat2 { get => !_openat2Missing; set => _openat2Missing = !value; }

    /// <summary>Opens <paramref name="path"/> (a plain .NET path, not escaped: a restore target) as a directory, refusing a symlink at its last component (ELOOP/ENOTDIR).</summary>
    public static SafeFileHandle OpenDirectoryNoFollow(string path)
    {
        var fd = open(path, ODirectory | ONoFollow | OCloseOnExec);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        var errno = Marshal.GetLastPInvokeError();
        throw Error("open directory", path, errno == ENOTDIR && Posix.TryLstat(RawName.EscapeText(path), out var status, out _) && status.IsSymlink ? ELOOP : errno);
    }

    /// <summary>
    /// Opens the directory <paramref name="relative"/> ('/'-separated, no '.', '..' or empty components) beneath
    /// <paramref name="dir"/>, following no symlink in any component. Returns the errno on failure instead of throwing.
    /// </summary>
    public static SafeFileHandle? TryOpenDirectoryBeneath(SafeFileHandle dir, string relative, out int errno)
    {
        if (!_openat2Missing)
        {
            var how = stackalloc ulong[3];
            how[0] = (ulong)(ODirectory | ONoFollow | OCloseOnExec);
            how[1] = 0;
            how[2] = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks;
            for (var attempt = 0; attempt < 4; attempt++)
            {
                var fd = (int)syscall(SysOpenat2, Fd(dir), relative, how, 24);
                if (fd >= 0)
                {
                    errno = 0;
                    return new SafeFileHandle(fd, ownsHandle: true);
                }

                errno = Marshal.GetLastPInvokeError();
                if (errno is ENOSYS or EPERM)
                {
                    _openat2Missing = true;
                    break;
                }

                if (errno != EAGAIN)
                {
                    return null;
                }
            }
        }

        SafeFileHandle? current = null;
        foreach (var part in relative.Split('/'))
        {
            var next = TryOpenAt(current ?? dir, part, ODirectory | ONoFollow | OCloseOnExec, 0, out errno);
            current?.Dispose();
            if (next is null)
            {
                return null;
            }

            current = next;
        }

        errno = 0;
        return current;
    }

    /// <summary>openat(<paramref name="dir"/>, <paramref name="name"/>, flags, mode); null and the errno on failure.</summary>
    private static SafeFileHandle? TryOpenAt(SafeFileHandle dir, string name, int flags, int mode, out int errno)
    {
        var fd = openat(Fd(dir), name, flags, mode);
        if (fd >= 0)
        {
            errno = 0;
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        // O_DIRECTORY|O_NOFOLLOW on a symlink reports ENOTDIR; name it as the symlink it is.
        errno = Marshal.GetLastPInvokeError();
        if (errno == ENOTDIR && (flags & ODirectory) != 0 && TryStat(dir, name, out var status, out _) && status.IsSymlink)
        {
            errno = ELOOP;
        }

        return null;
    }

    /// <summary>The child directory <paramref name="name"/> of <paramref name="dir"/>, not following a symlink; null and the errno on failure.</summary>
    public static SafeFileHandle? TryOpenChildDirectory(SafeFileHandle dir, string name, out int errno) =>
        TryOpenAt(dir, name, ODirectory | ONoFollow | OCloseOnExec, 0, out errno);

    /// <summary>Creates <paramref name="name"/> as a new regular file (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600) open for writing.</summary>
    public static SafeFileHandle CreateFile(SafeFileHandle dir, string name, string shown) =>
        TryOpenAt(dir, name, OWriteOnly | OCreate | OExclusive | ONoFollow | OCloseOnExec, Convert.ToInt32("600", 8), out var errno)
        ?? throw Error("create", shown, errno);

    /// <summary>Like <see cref="CreateFile"/>, but null and the errno (EEXIST: something has the name) on failure.</summary>
    public static SafeFileHandle? TryCreateFile(SafeFileHandle dir, string name, out int errno) =>
        TryOpenAt(dir, name, OWriteOnly | OCreate | OExclusive | ONoFollow | OCloseOnExec, Convert.ToInt32("600", 8), out errno);

    /// <summary>symlinkat; 0 or the errno (EEXIST: something has the name).</summary>
    public static int TrySymlink(string linkTarget, SafeFileHandle dir, string name) =>
        symlinkat(linkTarget, Fd(dir), name) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Opens the existing regular file <paramref name="name"/> for writing, refusing a symlink.</summary>
    public static SafeFileHandle OpenFileForWriting(SafeFileHandle dir, string name, string shown) =>
        TryOpenAt(dir, name, OWriteOnly | ONoFollow | ONonBlock | ONoCtty | OCloseOnExec, 0, out var errno)
        ?? throw Error("open", shown, errno);

    /// <summary>Opens <paramref name="name"/> for reading without following a symlink or blocking on a FIFO; null when it cannot be opened.</summary>
    public static SafeFileHandle? TryOpenForReading(SafeFileHandle dir, string name, out int errno) =>
        TryOpenAt(dir, name, ONoFollow | ONonBlock | ONoCtty | OCloseOnExec, 0, out errno);

    /// <summary>An O_PATH descriptor of <paramref name="name"/> itself (a symlink is opened, not followed).</summary>
    public static SafeFileHandle? TryOpenPath(SafeFileHandle dir, string name, out int errno) =>
        TryOpenAt(dir, name, OPath | ONoFollow | OCloseOnExec, 0, out errno);

    /// <summary>lstat of <paramref name="name"/> in <paramref name="dir"/> (an empty name: the descriptor itself).</summary>
    public static bool TryStat(SafeFileHandle dir, string name, out FileStatus status, out int errno) =>
        Posix.TryStatAt(Fd(dir), name, AtSymlinkNoFollow | (name.Length == 0 ? AtEmptyPath : 0), out status, out errno);

    public static void MakeDirectory(SafeFileHandle dir, string name, string shown)
    {
        if (mkdirat(Fd(dir), name, Convert.ToInt32("700", 8)) != 0)
        {
            throw Error("create directory", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Removes <paramref name="name"/>: an empty directory with <paramref name="directory"/>, anything else (a symlink too) itself.</summary>
    public static int TryUnlink(SafeFileHandle dir, string name, bool directory) =>
        unlinkat(Fd(dir), name, directory ? AtRemoveDir : 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static void Unlink(SafeFileHandle dir, string name, bool directory, string shown)
    {
        if (TryUnlink(dir, name, directory) is var errno and not 0)
        {
            throw Error("delete", shown, errno);
        }
    }

    /// <summary>Hard-links the existing <paramref name="existingName"/> (not following a symlink) as <paramref name="newName"/>.</summary>
    public static void HardLink(SafeFileHandle existingDir, string existingName, SafeFileHandle newDir, string newName, string shown)
    {
        if (linkat(Fd(existingDir), existingName, Fd(newDir), newName, 0) != 0)
        {
            throw Error("hard-link", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Renames <paramref name="name"/> to <paramref name="newName"/> in the same directory, replacing what that name held (never a directory).</summary>
    public static void Rename(SafeFileHandle dir, string name, string newName, string shown)
    {
        if (renameat(Fd(dir), name, Fd(dir), newName) != 0)
        {
            throw Error("replace", shown, Marshal.GetLastPInvokeError());
        }
    }

    public static void Symlink(string linkTarget, SafeFileHandle dir, string name, string shown)
    {
        if (symlinkat(linkTarget, Fd(dir), name) != 0)
        {
            throw Error("create symlink", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Changes the owner of <paramref name="name"/> itself (AT_SYMLINK_NOFOLLOW), or of the descriptor with an empty name.</summary>
    public static void ChangeOwner(SafeFileHandle dir, string name, long uid, long gid, string shown)
    {
        if (fchownat(Fd(dir), name, (uint)uid, (uint)gid, name.Length == 0 ? AtEmptyPath : AtSymlinkNoFollow) != 0)
        {
            throw Error("change owner of", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Sets permission bits (07777) on an open descriptor.</summary>
    public static void ChangeMode(SafeFileHandle file, int mode, string shown)
    {
        if (fchmod(Fd(file), (uint)(mode & 0xFFF)) != 0)
        {
            throw Error("change mode of", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Sets access and modification time of <paramref name="name"/> itself (AT_SYMLINK_NOFOLLOW), or of the descriptor with an empty name.</summary>
    public static void SetTimes(SafeFileHandle dir, string name, long timeNs, string shown)
    {
        var times = stackalloc long[4];
        times[0] = times[2] = Math.DivRem(timeNs, 1_000_000_000L, out var rem) - (rem < 0 ? 1 : 0);
        times[1] = times[3] = rem < 0 ? rem + 1_000_000_000L : rem;
        var result = name.Length == 0 ? utimensat(Fd(dir), null, times, 0) : utimensat(Fd(dir), name, times, AtSymlinkNoFollow);
        if (result != 0)
        {
            throw Error("set times of", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>"a symlink is in the way (not followed)" for ELOOP, else the system's message.</summary>
    public static string Reason(int errno) => errno == ELOOP ? "a symlink is in the way (not followed)" : Marshal.GetPInvokeErrorMessage(errno);

    internal static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    internal static IOException Error(string verb, string shown, int errno) => new($"cannot {verb} {shown}: {Reason(errno)}", errno);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int openat(int dirfd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "syscall", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial long syscall(long number, int dirfd, string path, ulong* how, nint size);

    [LibraryImport("libc", EntryPoint = "mkdirat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int mkdirat(int dirfd, string path, int mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int unlinkat(int dirfd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "linkat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int linkat(int olddirfd, string oldPath, int newdirfd, string newPath, int flags);

    [LibraryImport("libc", EntryPoint = "renameat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int renameat(int olddirfd, string oldPath, int newdirfd, string newPath);

    [LibraryImport("libc", EntryPoint = "symlinkat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int symlinkat(string target, int dirfd, string path);

    [LibraryImport("libc", EntryPoint = "fchownat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int fchownat(int dirfd, string path, uint uid, uint gid, int flags);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int fchmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int utimensat(int dirfd, string? path, long* times, int flags);
}
