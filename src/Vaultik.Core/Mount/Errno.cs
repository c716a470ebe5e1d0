namespace Vaultik.Core.Mount;

/// <summary>The Linux error numbers the mounted filesystem answers with (returned negated, as FUSE wants).</summary>
public static class Errno
{
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int EBADF = 9;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int EROFS = 30;
}
