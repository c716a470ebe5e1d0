using Vaultik.Core.Platform;

namespace Vaultik.Core.Search;

/// <summary>
/// The metadata cache's directory: created 0700; an existing one that is a symlink, is not a directory, is not
/// owned by this user or is open to group or others is refused, so no other user can plant or read entries.
/// </summary>
public static class CacheDirectory
{
    /// <summary>Where the cache lives: <c>metadata-cache/</c> beside the local index (<paramref name="indexPath"/>).</summary>
    public static string For(string indexPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(indexPath))!, "metadata-cache");

    /// <summary>Creates <paramref name="path"/> when missing and checks it; throws <see cref="VaultikException"/> when it is unsafe.</summary>
    public static void Prepare(string path)
    {
        if (!Posix.TryLstat(path, out _, out _))
        {
            PrivateFiles.CreateDirectory(path);
        }

        var status = Posix.Lstat(path);
        var problem = status.IsSymlink ? "it is a symlink"
            : !status.IsDirectory ? "it is not a directory"
            : status.Uid != Posix.EffectiveUid ? $"it is owned by uid {status.Uid}, not by this user ({Posix.EffectiveUid})"
            : (status.Mode & 0x3F) != 0 ? $"its mode is {Convert.ToString(status.Mode & 0xFFF, 8)}, open to group or others (it must be 0700)"
            : null;
        if (problem is not null)
        {
            throw new VaultikException($"cannot use metadata cache {path}: {problem}; remove it or fix it, or set metadata_cache: off");
        }
    }
}
