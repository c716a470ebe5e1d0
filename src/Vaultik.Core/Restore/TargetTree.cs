using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// File-system operations confined to the restore target. Every parent directory of a path is checked with
/// lstat to be a real directory (never a symlink) before anything is created in it, so neither a restored
/// symlink nor one already in the target can redirect a write outside the target.
/// </summary>
internal sealed class TargetTree
{
    private readonly string _root;
    private readonly bool _overwrite;
    private readonly HashSet<string> _verified = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public TargetTree(string root, bool overwrite)
    {
        _root = Path.GetFullPath(root).TrimEnd('/');
        _overwrite = overwrite;
        Directory.CreateDirectory(_root);
        _verified.Add(string.Empty);
    }

    public string Root => _root;

    public string FullPath(string relative) => _root + "/" + relative;

    /// <summary>Makes sure the parent directories of <paramref name="relative"/> exist and are real directories.</summary>
    public void EnsureParent(string relative)
    {
        var slash = relative.LastIndexOf('/');
        EnsureDirectory(slash < 0 ? string.Empty : relative[..slash]);
    }

    /// <summary>Creates <paramref name="relative"/> and its parents as directories (mode 0700 until their metadata is applied).</summary>
    public void EnsureDirectory(string relative)
    {
        lock (_lock)
        {
            if (_verified.Contains(relative))
            {
                return;
            }

            var slash = relative.LastIndexOf('/');
            var parent = slash < 0 ? string.Empty : relative[..slash];
            if (!_verified.Contains(parent))
            {
                EnsureDirectory(parent);
            }

            var full = FullPath(relative);
            if (Posix.TryLstat(full, out var status, out _))
            {
                if (!status.IsDirectory)
                {
                    if (!_overwrite)
                    {
                        throw new IOException($"cannot restore {relative}: a non-directory is in the way (use --overwrite)");
                    }

                    File.Delete(full);
                    Directory.CreateDirectory(full);
                }
            }
            else
            {
                Directory.CreateDirectory(full);
            }

            _verified.Add(relative);
        }
    }

    /// <summary>
    /// Prepares <paramref name="relative"/> for a new file or link: parents checked, and whatever is there
    /// removed when overwriting (a directory in the way is an error).
    /// </summary>
    public string PrepareLeaf(string relative)
    {
        EnsureParent(relative);
        var full = FullPath(relative);
        if (Posix.TryLstat(full, out var status, out _))
        {
            if (status.IsDirectory)
            {
                throw new IOException($"cannot restore {relative}: a directory is in the way");
            }

            if (!_overwrite)
            {
                throw new IOException($"cannot restore {relative}: it already exists (use --overwrite)");
            }

            File.Delete(full);
        }

        return full;
    }
}
