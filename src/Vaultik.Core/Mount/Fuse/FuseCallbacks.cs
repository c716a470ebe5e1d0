using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Vaultik.Core.Mount.Fuse;

/// <summary>
/// The operations libfuse calls, as <see cref="UnmanagedCallersOnly"/> functions (so NativeAOT can hand out
/// their addresses): each converts the C arguments, asks the <see cref="MountFileSystem"/> set in
/// <see cref="FileSystem"/> and returns 0, a byte count or a negated errno. No exception crosses into C: an
/// unexpected one answers EIO. <c>struct fuse_file_info</c> (40 bytes): <c>flags</c> at 0, the bit-fields at 4
/// (bit 2: keep_cache), <c>fh</c> at 16.
/// </summary>
internal static unsafe class FuseCallbacks
{
    private const int AccessModeMask = 3;
    private const int WriteOk = 2;
    private const uint KeepCache = 1u << 2;

    /// <summary>The one filesystem this process serves.</summary>
    public static MountFileSystem? FileSystem { get; set; }

    /// <summary>The table handed to <c>fuse_new_31</c>: every write operation answers EROFS.</summary>
    public static FuseOperations Table()
    {
        var readOnly = (nint)(delegate* unmanaged<int>)&ReadOnly;
        return new FuseOperations
        {
            Getattr = (nint)(delegate* unmanaged<byte*, byte*, byte*, int>)&GetAttr,
            Readlink = (nint)(delegate* unmanaged<byte*, byte*, nuint, int>)&ReadLink,
            Open = (nint)(delegate* unmanaged<byte*, byte*, int>)&Open,
            Read = (nint)(delegate* unmanaged<byte*, byte*, nuint, long, byte*, int>)&Read,
            Release = (nint)(delegate* unmanaged<byte*, byte*, int>)&Release,
            Opendir = (nint)(delegate* unmanaged<byte*, byte*, int>)&OpenDirectory,
            Readdir = (nint)(delegate* unmanaged<byte*, void*, delegate* unmanaged<void*, byte*, byte*, long, int, int>, long, byte*, int, int>)&ReadDirectory,
            Releasedir = (nint)(delegate* unmanaged<byte*, byte*, int>)&ReleaseDirectory,
            Statfs = (nint)(delegate* unmanaged<byte*, byte*, int>)&StatFs,
            Access = (nint)(delegate* unmanaged<byte*, int, int>)&Access,
            Init = (nint)(delegate* unmanaged<byte*, byte*, nint>)&Init,
            // These take other arguments, which a function of none ignores: on x86-64 and arm64 arguments travel in
            // registers and the caller cleans up, so one EROFS function serves them all.
            Mknod = readOnly, Mkdir = readOnly, Unlink = readOnly, Rmdir = readOnly, Symlink = readOnly, Rename = readOnly,
            Link = readOnly, Chmod = readOnly, Chown = readOnly, Truncate = readOnly, Write = readOnly, Create = readOnly,
            Utimens = readOnly, Setxattr = readOnly, Removexattr = readOnly, Fallocate = readOnly, CopyFileRange = readOnly,
        };
    }

    private static MountFileSystem Fs => FileSystem ?? throw new InvalidOperationException("no filesystem is mounted");

    /// <summary>The kernel's path bytes in Vaultik's escaped form of names (docs/FORMAT.md, "Names"), as the snapshot stores them.</summary>
    private static string PathOf(byte* path) => path is null ? "/" : Platform.RawName.Escape(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(path));

    /// <summary>
    /// init(conn, cfg): sets <c>use_ino</c> (offset 64 of libfuse 3.14's <c>struct fuse_config</c>, which is no
    /// longer a command-line option in libfuse 3), so st_ino is the stored inode: both names of a hard link show one.
    /// Returns null as the private data (this process serves one filesystem).
    /// </summary>
    [UnmanagedCallersOnly]
    private static nint Init(byte* connection, byte* config)
    {
        *(int*)(config + 64) = 1;
        return nint.Zero;
    }

    [UnmanagedCallersOnly]
    private static int ReadOnly() => -Errno.EROFS;

    [UnmanagedCallersOnly]
    private static int GetAttr(byte* path, byte* stat, byte* fi) => Safely(() =>
    {
        var errno = Fs.GetAttr(PathOf(path), out var node);
        if (errno == 0)
        {
            FuseStat.Fill(stat, node);
        }

        return -errno;
    });

    [UnmanagedCallersOnly]
    private static int ReadLink(byte* path, byte* buffer, nuint size) => Safely(() =>
    {
        var errno = Fs.ReadLink(PathOf(path), out var target);
        if (errno != 0 || size == 0)
        {
            return -errno;
        }

        // NUL-terminated, truncated to fit, as readlink's FUSE contract asks.
        var bytes = Platform.RawName.Unescape(target!);
        var n = (int)Math.Min((ulong)bytes.Length, size - 1);
        bytes.AsSpan(0, n).CopyTo(new Span<byte>(buffer, n));
        buffer[n] = 0;
        return 0;
    });

    [UnmanagedCallersOnly]
    private static int Open(byte* path, byte* fi) => Safely(() =>
    {
        var errno = Fs.Open(PathOf(path), (*(int*)fi & AccessModeMask) != 0, out var handle);
        if (errno == 0)
        {
            *(ulong*)(fi + 16) = handle;
            *(uint*)(fi + 4) |= KeepCache;
        }

        return -errno;
    });

    [UnmanagedCallersOnly]
    private static int Read(byte* path, byte* buffer, nuint size, long offset, byte* fi) =>
        Safely(() => Fs.Read(*(ulong*)(fi + 16), new Span<byte>(buffer, (int)Math.Min(size, int.MaxValue)), offset));

    [UnmanagedCallersOnly]
    private static int Release(byte* path, byte* fi) => Safely(() =>
    {
        Fs.Release(*(ulong*)(fi + 16));
        return 0;
    });

    [UnmanagedCallersOnly]
    private static int OpenDirectory(byte* path, byte* fi) => Safely(() =>
    {
        var errno = Fs.OpenDirectory(PathOf(path), out var handle);
        if (errno == 0)
        {
            *(ulong*)(fi + 16) = handle;
        }

        return -errno;
    });

    [UnmanagedCallersOnly]
    private static int ReadDirectory(byte* path, void* buffer, delegate* unmanaged<void*, byte*, byte*, long, int, int> filler, long offset, byte* fi, int flags)
    {
        try
        {
            var stat = stackalloc byte[144];
            var name = stackalloc byte[1024];
            return -Fs.ReadDirectory(*(ulong*)(fi + 16), offset, (entry, node, next) =>
            {
                var raw = Platform.RawName.Unescape(entry);
                var length = raw.Length;
                if (length > 1023)
                {
                    return true;
                }

                raw.CopyTo(new Span<byte>(name, length));
                name[length] = 0;
                FuseStat.Fill(stat, node);
                return filler(buffer, name, node is null ? null : stat, next, 0) == 0;
            });
        }
        catch (Exception ex)
        {
            return Unexpected(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static int ReleaseDirectory(byte* path, byte* fi) => Safely(() =>
    {
        Fs.ReleaseDirectory(*(ulong*)(fi + 16));
        return 0;
    });

    [UnmanagedCallersOnly]
    private static int StatFs(byte* path, byte* statvfs) => Safely(() =>
    {
        FuseStat.FillStatvfs(statvfs);
        return 0;
    });

    [UnmanagedCallersOnly]
    private static int Access(byte* path, int mask) => Safely(() =>
        (mask & WriteOk) != 0 ? -Errno.EROFS : -Fs.GetAttr(PathOf(path), out _));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Safely(Func<int> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex)
        {
            return Unexpected(ex);
        }
    }

    private static int Unexpected(Exception ex)
    {
        Console.Error.WriteLine($"vaultik: mount: unexpected {ex.GetType().Name}: {ex.Message}");
        return -Errno.EIO;
    }
}
