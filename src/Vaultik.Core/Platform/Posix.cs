using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vaultik.Core.Platform;

/// <summary>
/// The few POSIX calls .NET does not expose: statx (inode, device, ctime, ns times, no follow), utimensat
/// on symlinks, lchown, link, geteuid. Errors become <see cref="IOException"/>s naming the path.
/// <see cref="TryLstat"/>, <see cref="Lstat"/>, <see cref="OpenForReading"/>, <see cref="OpenDirectory"/> and
/// <see cref="ReadLink"/> take and give paths in <see cref="RawName"/>'s escaped form (walked names); the
/// others take plain .NET paths (Vaultik's own files, fetch's output).
/// </summary>
public static unsafe partial class Posix
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    public static bool IsRoot => geteuid() == 0;

    public static uint EffectiveUid => geteuid();

    public static uint EffectiveGid => getegid();

    /// <summary>The host name up to its first dot.</summary>
    public static string ShortHostName()
    {
        var name = Environment.MachineName;
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? name[..dot] : name;
    }

    public static bool TryLstat(string path, out FileStatus status, out int errno) =>
        TryStatAt(AtFdCwd, path, AtSymlinkNoFollow, out status, out errno);

    /// <summary>statx(<paramref name="dirfd"/>, <paramref name="path"/>, <paramref name="flags"/>): the *at form <see cref="PosixAt"/> uses.</summary>
    internal static bool TryStatAt(int dirfd, string path, int flags, out FileStatus status, out int errno)
    {
        var buffer = stackalloc byte[256];
        if (statx(dirfd, path, flags, StatxBasicStats, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            status = default;
            return false;
        }

        errno = 0;
        var mode = *(ushort*)(buffer + 28);
        status = new FileStatus(
            Type: mode & FileStatus.TypeMask,
            Mode: mode & 0xFFF,
            Uid: *(uint*)(buffer + 20),
            Gid: *(uint*)(buffer + 24),
            Size: *(long*)(buffer + 40),
            MtimeNs: TimeNs(buffer + 112),
            CtimeNs: TimeNs(buffer + 96),
            AtimeNs: TimeNs(buffer + 64),
            Inode: *(ulong*)(buffer + 32),
            Device: ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140),
            LinkCount: *(uint*)(buffer + 16),
            Blocks: *(long*)(buffer + 48));
        return true;
    }

    public static FileStatus Lstat(string path) =>
        TryLstat(path, out var status, out var errno) ? status : throw Error("stat", path, errno);

    /// <summary>Sets access and modification times (ns); with <paramref name="noFollow"/> a symlink itself is changed.</summary>
    public static void SetTimes(string path, long atimeNs, long mtimeNs, bool noFollow)
    {
        var times = stackalloc long[4];
        times[0] = Math.DivRem(atimeNs, 1_000_000_000L, out var aRem) - (aRem < 0 ? 1 : 0);
        times[1] = aRem < 0 ? aRem + 1_000_000_000L : aRem;
        times[2] = Math.DivRem(mtimeNs, 1_000_000_000L, out var mRem) - (mRem < 0 ? 1 : 0);
        times[3] = mRem < 0 ? mRem + 1_000_000_000L : mRem;
        if (utimensat(AtFdCwd, path, times, noFollow ? AtSymlinkNoFollow : 0) != 0)
        {
            throw Error("set times of", path, Marshal.GetLastPInvokeError());
        }
    }

    public static void Lchown(string path, long uid, long gid)
    {
        if (lchown(path, (uint)uid, (uint)gid) != 0)
        {
            throw Error("change owner of", path, Marshal.GetLastPInvokeError());
        }
    }

    public static void CreateHardLink(string existing, string newPath)
    {
        if (link(existing, newPath) != 0)
        {
            throw Error("hard-link", newPath, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>fsyncs a directory, making a rename inside it durable.</summary>
    public static void FsyncDirectory(string path)
    {
        var fd = open(path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);
        if (fd < 0)
        {
            throw Error("open directory", path, Marshal.GetLastPInvokeError());
        }

        try
        {
            if (fsync(fd) != 0)
            {
                throw Error("fsync", path, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// Reads up to <paramref name="max"/> bytes of a small text file with plain open/read (no advisory lock),
    /// never following a symlink and never blocking on a FIFO or device planted at the path (null then).
    /// </summary>
    public static string? ReadWithoutLocking(string path, int max)
    {
        var fd = open(path, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NonBlock | OpenFlags.NoCtty | OpenFlags.CloseOnExec);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            var buffer = stackalloc byte[max];
            var n = read(fd, buffer, (nint)max);
            return n <= 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, (int)n);
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// Opens a source file for reading with plain open(2): O_NOFOLLOW (a file swapped for a symlink since it was
    /// walked is refused, not followed) and no advisory lock (FileStream's flock costs two system calls per
    /// file and would make a backup block on, or disturb, other programs' locks).
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenForReading(string path)
    {
        var fd = openRaw(path, OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.CloseOnExec);
        return Handle(fd, path);
    }

    /// <summary>Opens the directory at <paramref name="path"/> for listing, refusing a symlink at its last component.</summary>
    public static SafeFileHandle? TryOpenDirectory(string path, out int errno)
    {
        var fd = openRaw(path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Creates a new file for writing with plain open(2) O_CREAT|O_EXCL|O_NOFOLLOW at mode 0600 (a name already
    /// taken, a symlink planted there included, is an error; no advisory lock): fetch's temporary output file,
    /// whose own mode is applied once its content is written.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle CreateForWriting(string path)
    {
        var flags = OpenFlags.WriteOnly | OpenFlags.NoFollow | OpenFlags.CloseOnExec | OpenFlags.Create | OpenFlags.Exclusive;
        return Handle(openWithMode(path, flags, Convert.ToInt32("600", 8)), path);
    }

    /// <summary>Wraps an open(2) result, or throws what FileStream would: not found, access denied, or an IOException naming the reason.</summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle Handle(int fd, string path)
    {
        if (fd >= 0)
        {
            return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        }

        var errno = Marshal.GetLastPInvokeError();
        throw errno switch
        {
            2 or 20 => new FileNotFoundException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}", path),
            1 or 13 => new UnauthorizedAccessException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
            _ => Error("open", path, errno),
        };
    }

    /// <summary>The target of the symlink at <paramref name="path"/>, escaped; null when it is gone or not a symlink.</summary>
    public static string? ReadLink(string path)
    {
        var buffer = stackalloc byte[4097];
        var n = readlink(path, buffer, 4097);
        return n is < 0 or > 4096 ? null : RawName.Escape(new ReadOnlySpan<byte>(buffer, (int)n));
    }

    private static long TimeNs(byte* timestamp) => (*(long*)timestamp * 1_000_000_000L) + *(uint*)(timestamp + 8);

    private static IOException Error(string verb, string path, int errno) =>
        new($"cannot {verb} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int utimensat(int dirfd, string path, long* times, int flags);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int lchown(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    // open(2) is variadic; on x86-64 and arm64 Linux the mode travels in the third integer register as for a
    // fixed argument, which is how glibc's va_arg reads it.
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int openWithMode(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int openRaw(string path, int flags);

    [LibraryImport("libc", EntryPoint = "readlink", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial nint readlink(string path, byte* buffer, nint size);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint getegid();
}
