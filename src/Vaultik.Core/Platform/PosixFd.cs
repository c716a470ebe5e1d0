using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vaultik.Core.Platform;

/// <summary>
/// Calls on an open descriptor, so a name swapped after the descriptor was opened changes nothing: fstat,
/// owner (fchownat AT_EMPTY_PATH, which also works on O_PATH descriptors and on a symlink's own O_PATH
/// descriptor), mode (fchmod, or chmod of /proc/self/fd/N for an O_PATH descriptor), times (futimens, or
/// utimensat AT_EMPTY_PATH for an O_PATH descriptor), pwrite, ftruncate and linkat AT_EMPTY_PATH. <c>shown</c> is the path named in errors.
/// </summary>
public static unsafe partial class PosixFd
{
    public const int EPERM = 1;
    private const int EINTR = 4;
    private const int AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000;

    /// <summary>fstat of the descriptor itself.</summary>
    public static FileStatus Stat(SafeFileHandle handle, string shown) =>
        PosixAt.TryStat(handle, string.Empty, out var status, out var errno) ? status : throw PosixAt.Error("stat", shown, errno);

    public static void ChangeOwner(SafeFileHandle handle, long uid, long gid, string shown)
    {
        if (fchownat(PosixAt.Fd(handle), string.Empty, (uint)uid, (uint)gid, AtEmptyPath) != 0)
        {
            throw PosixAt.Error("change owner of", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Sets permission bits (07777); <paramref name="pathOnly"/> for an O_PATH descriptor of a regular file or directory (never a symlink).</summary>
    public static void ChangeMode(SafeFileHandle handle, bool pathOnly, int mode, string shown)
    {
        var result = pathOnly ? chmod($"/proc/self/fd/{PosixAt.Fd(handle)}", (uint)(mode & 0xFFF)) : fchmod(PosixAt.Fd(handle), (uint)(mode & 0xFFF));
        if (result != 0)
        {
            throw PosixAt.Error("change mode of", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Sets access and modification time of what the descriptor refers to (a symlink's O_PATH descriptor: the link itself).</summary>
    public static void SetTimes(SafeFileHandle handle, bool pathOnly, long timeNs, string shown)
    {
        var times = stackalloc long[4];
        times[0] = times[2] = Math.DivRem(timeNs, 1_000_000_000L, out var rem) - (rem < 0 ? 1 : 0);
        times[1] = times[3] = rem < 0 ? rem + 1_000_000_000L : rem;
        var result = pathOnly
            ? utimensat(PosixAt.Fd(handle), string.Empty, times, AtEmptyPath | AtSymlinkNoFollow)
            : futimens(PosixAt.Fd(handle), times);
        if (result != 0)
        {
            throw PosixAt.Error("set times of", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/> with pwrite (a raw call: .NET's RandomAccess probes every new handle with lseek first).</summary>
    public static void WriteAt(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset, string shown)
    {
        fixed (byte* start = data)
        {
            for (var done = 0; done < data.Length;)
            {
                var n = pwrite(PosixAt.Fd(handle), start + done, data.Length - done, offset + done);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    throw PosixAt.Error("write", shown, errno);
                }

                if (n == 0)
                {
                    // Neither progress nor an error (a FUSE file system may answer so): fail rather than spin.
                    throw new IOException($"cannot write {shown}: the file system wrote nothing ({data.Length - done} bytes left)");
                }

                done += (int)n;
            }
        }
    }

    /// <summary>Sets the length of the open file (a tail of zeros the restore did not write stays a hole).</summary>
    public static void Truncate(SafeFileHandle handle, long length, string shown)
    {
        if (ftruncate(PosixAt.Fd(handle), length) != 0)
        {
            throw PosixAt.Error("set the length of", shown, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Links the inode behind <paramref name="existing"/> as <paramref name="newName"/> in <paramref name="newDir"/>; the errno, 0 on success.</summary>
    public static int TryLink(SafeFileHandle existing, SafeFileHandle newDir, string newName) =>
        linkat(PosixAt.Fd(existing), string.Empty, PosixAt.Fd(newDir), newName, AtEmptyPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>chmod of an O_PATH descriptor's /proc/self/fd link (never pass a symlink's descriptor: chmod follows it).</summary>
    internal static int TryChmodPath(SafeFileHandle handle, int mode) =>
        chmod($"/proc/self/fd/{PosixAt.Fd(handle)}", (uint)(mode & 0xFFF)) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint pwrite(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "fchownat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int fchownat(int dirfd, string path, uint uid, uint gid, int flags);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int fchmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "chmod", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int chmod(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int utimensat(int dirfd, string path, long* times, int flags);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static partial int futimens(int fd, long* times);

    [LibraryImport("libc", EntryPoint = "linkat", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int linkat(int olddirfd, string oldPath, int newdirfd, string newPath, int flags);
}
