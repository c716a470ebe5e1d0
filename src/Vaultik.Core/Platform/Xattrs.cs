using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vaultik.Core.Platform;

/// <summary>
/// Extended attributes through descriptors: flistxattr/fgetxattr/fsetxattr on an open file or directory. A symlink
/// can be opened only as O_PATH, and such descriptors refuse f*xattr calls: restore sets its attributes with setxattr
/// on <c>/proc/self/fd/&lt;its O_PATH fd&gt;</c> (the /proc link resolves to the symlink itself, checked before);
/// the walk reads them with llistxattr/lgetxattr on <c>/proc/self/fd/&lt;dirfd&gt;/&lt;name&gt;</c> (resolved from
/// the open directory, last component not followed). No path walk a swapped symlink could redirect. Errors come
/// back as errno values.
/// </summary>
public static unsafe partial class Xattrs
{
    public const int ENODATA = 61, ERANGE = 34, ENOTSUP = 95, EPERM = 1, E2BIG = 7;

    /// <summary>Linux's largest value (XATTR_SIZE_MAX) and listing (XATTR_LIST_MAX), and its longest name (XATTR_NAME_MAX).</summary>
    public const int MaxValueBytes = 64 << 10, MaxListBytes = 64 << 10, MaxNameBytes = 255;

    /// <summary>The attribute names of an open file or directory; errno 0 and none where the filesystem supports none.</summary>
    public static List<byte[]> ListNames(SafeFileHandle file, out int errno) => Names(buffer => flistxattr(PosixAt.Fd(file), buffer, MaxListBytes), out errno);

    /// <summary>
    /// Whether the entry at <paramref name="path"/> (not followed) has no attribute names at all: one llistxattr by
    /// path, no descriptor. Only an empty answer is trusted (it reveals no other file's attributes even if a
    /// component was swapped); a filesystem without attributes (ENOTSUP) has none either; anything else (names, another error) means "read them through a descriptor".
    /// </summary>
    public static bool HasNoNames(string path)
    {
        byte* probe = stackalloc byte[1];
        return llistxattr(path, probe, 0) == 0 || Marshal.GetLastPInvokeError() == ENOTSUP;
    }

    /// <summary>The attribute names of the symlink <paramref name="name"/> in <paramref name="dir"/> (not followed).</summary>
    public static List<byte[]> ListSymlinkNames(SafeFileHandle dir, string name, out int errno)
    {
        var path = ProcPath(dir, name);
        return Names(buffer => llistxattr(path, buffer, MaxListBytes), out errno);
    }

    /// <summary>One value of an open file or directory; null and the errno (ERANGE: above 64 KiB) on failure.</summary>
    public static byte[]? Get(SafeFileHandle file, byte[] name, out int errno)
    {
        var fd = PosixAt.Fd(file);
        return Value(name, (n, buffer, size) => fgetxattr(fd, n, buffer, size), out errno);
    }

    /// <summary>One value of the symlink <paramref name="name"/> in <paramref name="dir"/> (not followed).</summary>
    public static byte[]? GetSymlink(SafeFileHandle dir, string name, byte[] attribute, out int errno)
    {
        var path = ProcPath(dir, name);
        return Value(attribute, (n, buffer, size) => lgetxattr(path, n, buffer, size), out errno);
    }

    /// <summary>Sets (creates or replaces) an attribute of an open file or directory; 0 or the errno.</summary>
    public static int TrySet(SafeFileHandle file, ExtendedAttribute attribute)
    {
        fixed (byte* n = Terminated(attribute.Name))
        fixed (byte* v = attribute.Value)
        {
            return fsetxattr(PosixAt.Fd(file), n, v, attribute.Value.Length, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Sets an attribute of the file or symlink an O_PATH descriptor holds (through its /proc link, which names that inode and is not followed further); 0 or the errno.</summary>
    public static int TrySetThroughPath(SafeFileHandle pathOnly, ExtendedAttribute attribute)
    {
        fixed (byte* n = Terminated(attribute.Name))
        fixed (byte* v = attribute.Value)
        {
            return setxattr($"/proc/self/fd/{PosixAt.Fd(pathOnly)}", n, v, attribute.Value.Length, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }


    /// <summary>
    /// A descriptor to read the attributes of the file or directory at <paramref name="path"/> (O_RDONLY, not
    /// following a symlink, not blocking on a FIFO swapped in); null and the errno when it cannot be opened.
    /// </summary>
    public static SafeFileHandle? TryOpen(string path, bool directory, out int errno)
    {
        var flags = OpenFlags.ReadOnly | OpenFlags.NoFollow | OpenFlags.NonBlock | OpenFlags.NoCtty | OpenFlags.CloseOnExec | (directory ? OpenFlags.Directory : 0);
        var fd = open(path, flags);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>An O_PATH descriptor of the directory <paramref name="path"/> (not following a symlink there), for the symlink calls.</summary>
    public static SafeFileHandle? TryOpenDirectoryPath(string path, out int errno)
    {
        var fd = open(path, OpenFlags.Path | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    private static string ProcPath(SafeFileHandle dir, string name) => $"/proc/self/fd/{PosixAt.Fd(dir)}/{name}";

    private delegate nint ListCall(byte* buffer);

    private delegate nint GetCall(byte* name, byte* buffer, nint size);

    private static List<byte[]> Names(ListCall list, out int errno)
    {
        var names = new List<byte[]>();
        // Pooled: a fresh 64 KiB array per walked entry cost more in zeroing than the system call itself.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(MaxListBytes);
        try
        {
            nint length;
            fixed (byte* b = buffer)
            {
                length = list(b);
            }

            if (length < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno == ENOTSUP)
                {
                    errno = 0;
                }

                return names;
            }

            errno = 0;
            Split(buffer.AsSpan(0, (int)length), names);
            return names;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Split(ReadOnlySpan<byte> rest, List<byte[]> names)
    {
        while (rest.Length > 0)
        {
            var end = rest.IndexOf((byte)0);
            var one = end < 0 ? rest : rest[..end];
            if (one.Length > 0)
            {
                names.Add(one.ToArray());
            }

            rest = end < 0 ? [] : rest[(end + 1)..];
        }
    }

    private static byte[]? Value(byte[] name, GetCall get, out int errno)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(MaxValueBytes);
        try
        {
            return Value(name, get, buffer, out errno);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[]? Value(byte[] name, GetCall get, byte[] buffer, out int errno)
    {
        nint length;
        fixed (byte* n = Terminated(name))
        fixed (byte* b = buffer)
        {
            length = get(n, b, MaxValueBytes);
        }

        if (length < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        errno = 0;
        return buffer.AsSpan(0, (int)length).ToArray();
    }

    private static byte[] Terminated(byte[] name)
    {
        var terminated = new byte[name.Length + 1];
        name.CopyTo(terminated, 0);
        return terminated;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    private static partial nint flistxattr(int fd, byte* list, nint size);

    [LibraryImport("libc", EntryPoint = "llistxattr", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial nint llistxattr(string path, byte* list, nint size);

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true)]
    private static partial nint fgetxattr(int fd, byte* name, byte* value, nint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(RawNameMarshaller), SetLastError = true)]
    private static partial nint lgetxattr(string path, byte* name, byte* value, nint size);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true)]
    private static partial int fsetxattr(int fd, byte* name, byte* value, nint size, int flags);

    [LibraryImport("libc", EntryPoint = "setxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int setxattr(string path, byte* name, byte* value, nint size, int flags);
}
