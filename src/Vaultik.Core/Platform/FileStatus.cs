namespace Vaultik.Core.Platform;

/// <summary>What lstat/statx reports about one path (never following a final symlink). Times in ns since the epoch.</summary>
public readonly record struct FileStatus(
    int Type, int Mode, long Uid, long Gid, long Size, long MtimeNs, long CtimeNs, long AtimeNs,
    ulong Inode, ulong Device, ulong LinkCount, long Blocks)
{
    public const int TypeMask = 0xF000;
    public const int TypeRegular = 0x8000;
    public const int TypeDirectory = 0x4000;
    public const int TypeSymlink = 0xA000;

    public bool IsRegular => Type == TypeRegular;

    public bool IsDirectory => Type == TypeDirectory;

    public bool IsSymlink => Type == TypeSymlink;
}
