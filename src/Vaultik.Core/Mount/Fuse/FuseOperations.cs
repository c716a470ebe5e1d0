using System.Runtime.InteropServices;

namespace Vaultik.Core.Mount.Fuse;

/// <summary>
/// <c>struct fuse_operations</c> of libfuse 3.14's fuse.h (FUSE_USE_VERSION 35): 42 function pointers in
/// this order, 336 bytes on 64-bit Linux. A null entry means "not implemented" (ENOSYS). The size is passed to
/// <c>fuse_new_31</c>, which copies the table.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FuseOperations
{
    public nint Getattr;
    public nint Readlink;
    public nint Mknod;
    public nint Mkdir;
    public nint Unlink;
    public nint Rmdir;
    public nint Symlink;
    public nint Rename;
    public nint Link;
    public nint Chmod;
    public nint Chown;
    public nint Truncate;
    public nint Open;
    public nint Read;
    public nint Write;
    public nint Statfs;
    public nint Flush;
    public nint Release;
    public nint Fsync;
    public nint Setxattr;
    public nint Getxattr;
    public nint Listxattr;
    public nint Removexattr;
    public nint Opendir;
    public nint Readdir;
    public nint Releasedir;
    public nint Fsyncdir;
    public nint Init;
    public nint Destroy;
    public nint Access;
    public nint Create;
    public nint Lock;
    public nint Utimens;
    public nint Bmap;
    public nint Ioctl;
    public nint Poll;
    public nint WriteBuf;
    public nint ReadBuf;
    public nint Flock;
    public nint Fallocate;
    public nint CopyFileRange;
    public nint Lseek;
}
