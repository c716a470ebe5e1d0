using System.Runtime.InteropServices;

namespace Vaultik.Core.Mount.Fuse;

/// <summary>
/// Fills a kernel <c>struct stat</c> (and <c>struct statvfs</c>) from a <see cref="MountNode"/>, at the field
/// offsets of glibc on x86-64 (144 bytes) and on arm64 (the generic layout, 128 bytes).
/// </summary>
internal static unsafe class FuseStat
{
    private const uint TypeDirectory = 0x4000;
    private const uint TypeFile = 0x8000;
    private const uint TypeSymlink = 0xA000;

    private static readonly bool Generic = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static void Fill(byte* stat, MountNode? node)
    {
        NativeMemory.Clear(stat, Generic ? 128u : 144u);
        if (node is null)
        {
            return;
        }

        var type = node.Kind switch { MountNodeKind.Directory => TypeDirectory, MountNodeKind.Symlink => TypeSymlink, _ => TypeFile };
        var mode = type | (uint)(node.Mode & 0xFFF);
        *(ulong*)(stat + 8) = node.Inode;
        if (Generic)
        {
            *(uint*)(stat + 16) = mode;
            *(uint*)(stat + 20) = (uint)node.LinkCount;
            *(uint*)(stat + 24) = (uint)node.Uid;
            *(uint*)(stat + 28) = (uint)node.Gid;
            *(int*)(stat + 56) = 4096;
        }
        else
        {
            *(ulong*)(stat + 16) = (ulong)node.LinkCount;
            *(uint*)(stat + 24) = mode;
            *(uint*)(stat + 28) = (uint)node.Uid;
            *(uint*)(stat + 32) = (uint)node.Gid;
            *(long*)(stat + 56) = 4096;
        }

        *(long*)(stat + 48) = node.Size;
        *(long*)(stat + 64) = (node.Size + 511) / 512;
        var seconds = Math.DivRem(node.MtimeNs, 1_000_000_000L, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000L;
        }

        // atime, mtime and ctime: the stored mtime (the snapshot keeps no other time).
        for (var at = 72; at <= 104; at += 16)
        {
            *(long*)(stat + at) = seconds;
            *(long*)(stat + at + 8) = nanos;
        }
    }

    /// <summary><c>struct statvfs</c> (112 bytes on both): block size, read-only flag, longest name.</summary>
    public static void FillStatvfs(byte* statvfs)
    {
        NativeMemory.Clear(statvfs, 112);
        *(ulong*)statvfs = 4096;
        *(ulong*)(statvfs + 8) = 4096;
        *(ulong*)(statvfs + 72) = 1; // ST_RDONLY
        *(ulong*)(statvfs + 80) = 255;
    }
}
