using System.Text;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Source;

/// <summary>
/// Decides whether a directory's contents are left out by <see cref="ExcludeRules.Caches"/> or
/// <see cref="ExcludeRules.IfPresent"/>, and which marker files inside it are kept.
/// </summary>
internal sealed class DirectoryTags(ExcludeRules rules)
{
    private static readonly byte[] Signature = Encoding.ASCII.GetBytes(ExcludeRules.CacheTagSignature);

    /// <summary>
    /// When <paramref name="directory"/> is tagged: true, with the full paths of the markers that are kept
    /// (in ordinal name order); false when its contents are walked as usual.
    /// </summary>
    public bool IsTagged(string directory, out List<string> keep)
    {
        keep = [];
        if (rules.Caches)
        {
            var tag = Path.Combine(directory, ExcludeRules.CacheTagName);
            if (IsCacheTag(tag))
            {
                keep.Add(tag);
            }
        }

        foreach (var name in rules.IfPresent)
        {
            var marker = Path.Combine(directory, RawName.Canonical(name));
            if (!keep.Contains(marker, StringComparer.Ordinal) && Posix.TryLstat(marker, out _, out _))
            {
                keep.Add(marker);
            }
        }

        keep.Sort(StringComparer.Ordinal);
        return keep.Count > 0;
    }

    /// <summary>A regular file (not a symlink) that begins with the CACHEDIR.TAG signature; an unreadable one does not count.</summary>
    private static bool IsCacheTag(string path)
    {
        if (!Posix.TryLstat(path, out var status, out _) || !status.IsRegular || status.Size < Signature.Length)
        {
            return false;
        }

        try
        {
            using var stream = new FileStream(Posix.OpenForReading(path), FileAccess.Read, bufferSize: 0);
            var head = new byte[Signature.Length];
            stream.ReadExactly(head);
            return head.AsSpan().SequenceEqual(Signature);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
