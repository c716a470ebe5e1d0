using System.Runtime.InteropServices;

namespace Vaultik.Core.Mount.Fuse;

/// <summary>
/// The libfuse 3 high-level API (Debian's libfuse3-3: <c>libfuse3.so.3</c>), bound by P/Invoke without a
/// package. <c>fuse_new_31</c> is the symbol FUSE_USE_VERSION 31..35 compiles <c>fuse_new</c> to; the
/// operations table it takes is <see cref="FuseOperations"/>. Plus libc's <c>umount2</c> for the signal path.
/// </summary>
internal static unsafe partial class FuseNative
{
    private const string Library = "libfuse3.so.3";

    [StructLayout(LayoutKind.Sequential)]
    public struct FuseArgs
    {
        public int Argc;
        public byte** Argv;
        public int Allocated;
    }

    [LibraryImport(Library, EntryPoint = "fuse_new_31")]
    public static partial nint New(FuseArgs* args, FuseOperations* operations, nuint operationsSize, nint userData);

    [LibraryImport(Library, EntryPoint = "fuse_mount", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(nint fuse, string mountpoint);

    [LibraryImport(Library, EntryPoint = "fuse_loop")]
    public static partial int Loop(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_exit")]
    public static partial void Exit(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_unmount")]
    public static partial void Unmount(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_destroy")]
    public static partial void Destroy(nint fuse);

    /// <summary>umount2(2) with MNT_DETACH (2): works as root; others fall back to <c>fusermount3 -u -z</c>.</summary>
    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Umount2(string target, int flags);
}
