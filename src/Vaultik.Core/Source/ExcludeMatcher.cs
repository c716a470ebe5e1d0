using Microsoft.Extensions.FileSystemGlobbing;

namespace Vaultik.Core.Source;

/// <summary>
/// Exclude patterns (README "Excludes"): FileSystemGlobbing globs, where a pattern without '/' (other than a
/// trailing one) matches a name in any directory, a trailing '/' means a directory and everything below
/// it, a pattern with '/' inside is relative to the snapshot root, and an absolute pattern matches the
/// absolute path.
/// </summary>
public sealed class ExcludeMatcher
{
    private const string Probe = "\u0001";
    private readonly Matcher _relative = new(StringComparison.Ordinal);
    private readonly Matcher _relativeDirs = new(StringComparison.Ordinal);
    private readonly Matcher _absolute = new(StringComparison.Ordinal);
    private readonly Matcher _absoluteDirs = new(StringComparison.Ordinal);
    private readonly bool _any;

    public ExcludeMatcher(IEnumerable<string> patterns)
    {
        foreach (var raw in patterns)
        {
            var pattern = raw.Trim();
            if (pattern.Length == 0)
            {
                continue;
            }

            _any = true;
            var dirOnly = pattern.EndsWith('/');
            var body = pattern.TrimEnd('/');
            var absolute = body.StartsWith('/');
            if (absolute)
            {
                body = body.TrimStart('/');
            }
            else if (!body.Contains('/', StringComparison.Ordinal))
            {
                body = "**/" + body;
            }

            (absolute ? (dirOnly ? _absoluteDirs : _absolute) : (dirOnly ? _relativeDirs : _relative)).AddInclude(body);
        }
    }

    /// <summary>True when the entry at <paramref name="relativePath"/> (from its root) / <paramref name="snapshotPath"/> is excluded.</summary>
    public bool IsExcluded(string relativePath, string snapshotPath, bool isDirectory)
    {
        if (!_any || relativePath.Length == 0)
        {
            return false;
        }

        if (Matches(_relative, relativePath, isDirectory) || Matches(_absolute, snapshotPath, isDirectory))
        {
            return true;
        }

        return isDirectory && (Matches(_relativeDirs, relativePath, true) || Matches(_absoluteDirs, snapshotPath, true));
    }

    private static bool Matches(Matcher matcher, string path, bool isDirectory) =>
        matcher.Match(path).HasMatches || (isDirectory && matcher.Match(path + "/" + Probe).HasMatches);
}
