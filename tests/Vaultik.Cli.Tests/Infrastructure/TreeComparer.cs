namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// Compares two trees entry by entry without following symlinks: the same names, types, contents (byte for
/// byte), permission bits, modification times, and symlink targets. Returns every difference found.
/// </summary>
public static class TreeComparer
{
    public static List<string> Compare(string expectedRoot, string actualRoot, bool compareRootMetadata = false)
    {
        var differences = new List<string>();
        var expected = Entries(expectedRoot);
        var actual = Entries(actualRoot);
        foreach (var missing in expected.Keys.Except(actual.Keys))
        {
            differences.Add($"missing: {missing}");
        }

        foreach (var extra in actual.Keys.Except(expected.Keys))
        {
            differences.Add($"unexpected: {extra}");
        }

        foreach (var (relative, e) in expected)
        {
            if (!actual.TryGetValue(relative, out var a))
            {
                continue;
            }

            if (relative.Length == 0 && !compareRootMetadata)
            {
                continue;
            }

            var isLink = e.LinkTarget is not null;
            if (isLink != (a.LinkTarget is not null) || (e is DirectoryInfo) != (a is DirectoryInfo))
            {
                differences.Add($"type differs: {relative}");
                continue;
            }

            if (isLink)
            {
                if (e.LinkTarget != a.LinkTarget)
                {
                    differences.Add($"link target differs: {relative}: {e.LinkTarget} vs {a.LinkTarget}");
                }
            }
            else if (e.UnixFileMode != a.UnixFileMode)
            {
                differences.Add($"mode differs: {relative}: {e.UnixFileMode} vs {a.UnixFileMode}");
            }

            if (e.LastWriteTimeUtc != a.LastWriteTimeUtc)
            {
                differences.Add($"mtime differs: {relative}: {e.LastWriteTimeUtc:O} vs {a.LastWriteTimeUtc:O}");
            }

            if (e is FileInfo ef && a is FileInfo af && !isLink && !SameContent(ef, af))
            {
                differences.Add($"content differs: {relative}");
            }
        }

        return differences;
    }

    private static Dictionary<string, FileSystemInfo> Entries(string root)
    {
        var result = new Dictionary<string, FileSystemInfo>(StringComparer.Ordinal) { [string.Empty] = new DirectoryInfo(root) };
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(root));
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                result[Path.GetRelativePath(root, entry.FullName)] = entry;
                if (entry is DirectoryInfo sub && entry.LinkTarget is null)
                {
                    pending.Push(sub);
                }
            }
        }

        return result;
    }

    private static bool SameContent(FileInfo a, FileInfo b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        using var sa = a.OpenRead();
        using var sb = b.OpenRead();
        var ba = new byte[1 << 20];
        var bb = new byte[1 << 20];
        while (true)
        {
            var na = sa.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            var nb = sb.ReadAtLeast(bb, bb.Length, throwOnEndOfStream: false);
            if (na != nb || !ba.AsSpan(0, na).SequenceEqual(bb.AsSpan(0, nb)))
            {
                return false;
            }

            if (na == 0)
            {
                return true;
            }
        }
    }
}
