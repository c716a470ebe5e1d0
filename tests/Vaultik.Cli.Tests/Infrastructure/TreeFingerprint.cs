using System.Security.Cryptography;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>One line per entry under a root, never following symlinks: path, type, mode, owner, link count, mtime (ns), content hash or link target.</summary>
public static class TreeFingerprint
{
    public static List<string> Of(string root)
    {
        var lines = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var path = pending.Pop();
            var status = Posix.Lstat(path);
            var what = status.IsRegular ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))
                : status.IsSymlink ? "-> " + Posix.ReadLink(path)
                : string.Empty;
            lines.Add($"{Path.GetRelativePath(root, path)} {status.Type:x} {Convert.ToString(status.Mode, 8)} {status.Uid}:{status.Gid} n{status.LinkCount} {status.MtimeNs} {what}");
            if (status.IsDirectory)
            {
                foreach (var child in Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal))
                {
                    pending.Push(child);
                }
            }
        }

        return lines;
    }
}
