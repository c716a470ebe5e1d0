using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// The inode a restore made (or adopted) at one path: device, inode number and file type (the link count the
/// restore gave a regular file is kept per inode by <see cref="TargetTree"/>). <see cref="TargetTree"/> records it from fstat of the descriptor it
/// created and refuses any later step on that path unless the entry there is still exactly this one.
/// </summary>
internal readonly record struct EntryIdentity(ulong Device, ulong Inode, int Type)
{
    public static EntryIdentity Of(FileStatus status) => new(status.Device, status.Inode, status.Type);

    /// <summary>Whether <paramref name="status"/> describes this very inode.</summary>
    public bool Is(FileStatus status) => status.Device == Device && status.Inode == Inode && status.Type == Type;
}
