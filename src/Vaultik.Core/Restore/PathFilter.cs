using Vaultik.Core.Source;

namespace Vaultik.Core.Restore;

/// <summary>
/// <c>--include</c>/<c>--exclude</c> globs over snapshot paths (as stored: <c>home/me/notes.txt</c>), with the
/// rules of README "Excludes" (<see cref="ExcludeMatcher"/>): a pattern without '/' (other than a trailing
/// one) matches a name at any depth, a trailing '/' only a directory, and a pattern with '/' inside (or an
/// absolute one) matches from the top of the snapshot (<c>/home/me/*.txt</c> and <c>home/me/*.txt</c> alike).
/// A directory that matches stands for its whole subtree. Used by restore (<see cref="RestoreSelection"/>) and
/// by any verb that picks snapshot paths by glob (find: <see cref="Matches"/>). Pure and cheap; remembers only
/// the verdict for the last parent directory asked about (entries come in path order).
/// </summary>
public sealed class PathFilter
{
    private readonly ExcludeMatcher? _include;
    private readonly ExcludeMatcher? _exclude;
    private string? _lastParent;
    private (bool Included, bool Excluded) _lastVerdict;

    public PathFilter(IEnumerable<string> includes, IEnumerable<string> excludes)
    {
        Includes = includes.Where(p => p.Trim().Length > 0).ToList();
        Excludes = excludes.Where(p => p.Trim().Length > 0).ToList();
        _include = Includes.Count > 0 ? new ExcludeMatcher(Includes) : null;
        _exclude = Excludes.Count > 0 ? new ExcludeMatcher(Excludes) : null;
    }

    /// <summary>The include patterns given (blank ones dropped).</summary>
    public IReadOnlyList<string> Includes { get; }

    /// <summary>The exclude patterns given (blank ones dropped).</summary>
    public IReadOnlyList<string> Excludes { get; }

    /// <summary>A filter that selects everything.</summary>
    public static PathFilter None { get; } = new([], []);

    /// <summary>True when no pattern was given (everything is selected).</summary>
    public bool IsEmpty => _include is null && _exclude is null;

    /// <summary>True when there are include patterns (so directories above an included entry need a look below).</summary>
    public bool HasIncludes => _include is not null;

    /// <summary>
    /// Whether <paramref name="path"/> itself matches an include pattern (any, when none were given) and neither
    /// it nor a directory above it matches an exclude pattern: what <c>find GLOB…</c> reports.
    /// </summary>
    public bool Matches(string path, bool isDirectory) =>
        (_include is null || Hit(_include, path, isDirectory)) && !ExcludedAbove(path) && !(_exclude is not null && Hit(_exclude, path, isDirectory));

    /// <summary>
    /// Whether <paramref name="path"/> is selected: it or a directory above it matches an include pattern (any,
    /// when none were given), and neither it nor a directory above it matches an exclude pattern. A directory
    /// that is not selected may still hold selected entries (restore keeps such directories).
    /// </summary>
    public bool Accepts(string path, bool isDirectory)
    {
        if (IsEmpty)
        {
            return true;
        }

        var (includedAbove, excludedAbove) = Above(path);
        if (excludedAbove || (_exclude is not null && Hit(_exclude, path, isDirectory)))
        {
            return false;
        }

        return _include is null || includedAbove || Hit(_include, path, isDirectory);
    }

    private bool ExcludedAbove(string path) => _exclude is not null && Above(path).Excluded;

    /// <summary>Whether a directory above <paramref name="path"/> matches an include / an exclude pattern.</summary>
    private (bool Included, bool Excluded) Above(string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash < 0)
        {
            return (false, false);
        }

        var parent = path[..slash];
        if (string.Equals(parent, _lastParent, StringComparison.Ordinal))
        {
            return _lastVerdict;
        }

        var (included, excluded) = Above(parent);
        var verdict = (included || (_include is not null && Hit(_include, parent, true)), excluded || (_exclude is not null && Hit(_exclude, parent, true)));
        _lastParent = parent;
        _lastVerdict = verdict;
        return verdict;
    }

    private static bool Hit(ExcludeMatcher matcher, string path, bool isDirectory) => matcher.IsExcluded(path, path, isDirectory);
}
