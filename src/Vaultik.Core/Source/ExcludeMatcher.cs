using Microsoft.Extensions.FileSystemGlobbing;

namespace Vaultik.Core.Source;

/// <summary>
/// Exclude patterns (README "Excludes"): FileSystemGlobbing globs, where a pattern without '/' (other than a
/// trailing one) matches a name in any directory, a trailing '/' means a directory and everything below
/// it, a pattern with '/' inside is relative to the snapshot root, and an absolute pattern matches the
/// absolute path. Paths and patterns are in the escaped form of names (<see cref="Platform.RawName"/>; a pattern is
/// read as typed, so <c>\xff</c> is the byte 0xff); FileSystemGlobbing takes a backslash in a pattern for a
/// separator, so both are matched with each backslash stood in for by a lone surrogate, which no escaped name holds.
/// </summary>
public sealed class ExcludeMatcher
{
    private const string Probe = "\u0001";
    private const char Backslash = '\uDC5C';
    private readonly Matcher _relative = new(StringComparison.Ordinal);
    private readonly Matcher _relativeDirs = new(StringComparison.Ordinal);
    private readonly Matcher _absolute = new(StringComparison.Ordinal);
    private readonly Matcher _absoluteDirs = new(StringComparison.Ordinal);
    private readonly bool _any;

    public ExcludeMatcher(IEnumerable<string> patterns)
    {
        foreach (var raw in patterns)
        {
            var pattern = Platform.RawName.Canonical(raw.Trim()).Replace('\\', Backslash);
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

    private static bool Matches(Matcher matcher, string path, bool isDirectory)
    {
        path = path.Replace('\\', Backslash);
        return matcher.Match(path).HasMatches || (isDirectory && matcher.Match(path + "/" + Probe).HasMatches);
    }
}
