using System.Text;
using Vaultik.Core.Source;

namespace Vaultik.Core.Search;

/// <summary>
/// find's globs: the exclude rules (README "Excludes", <see cref="ExcludeMatcher"/>) applied to the backed-up
/// absolute paths (stored without their leading <c>/</c>), with <c>/</c> as the root (a pattern with a <c>/</c> inside that does not start with one is
/// relative to <c>/</c>), and a trailing <c>/</c> matching the directory and every entry below it. Each pattern
/// also becomes an SQLite GLOB that selects a superset of its matches (<c>*</c> and <c>**</c> both become
/// <c>*</c>, other characters literal), so the database's path index narrows the candidates and only those are
/// matched exactly here.
/// </summary>
public sealed class FindGlob
{
    private readonly ExcludeMatcher _matcher;
    private readonly ExcludeMatcher _directories;
    private readonly bool _anyDirectoryPattern;

    public FindGlob(IReadOnlyList<string> patterns)
    {
        var trimmed = patterns.Select(p => Platform.RawName.Canonical(p.Trim())).ToList();
        if (trimmed.Count == 0 || trimmed.Any(p => p.Length == 0 || p == "/"))
        {
            throw new ConfigurationException("cannot search: every GLOB must be a non-empty pattern");
        }

        _matcher = new ExcludeMatcher(trimmed);
        var dirPatterns = trimmed.Where(p => p.EndsWith('/')).ToList();
        _anyDirectoryPattern = dirPatterns.Count > 0;
        _directories = new ExcludeMatcher(dirPatterns);
        SqlCondition = string.Join(" OR ", trimmed.SelectMany(SqlGlobs).Distinct(StringComparer.Ordinal).Select(g => $"path GLOB '{g.Replace("'", "''", StringComparison.Ordinal)}'"));
    }

    /// <summary>The SQL condition on <c>files.path</c> (literals inlined, quotes doubled) that every match satisfies.</summary>
    public string SqlCondition { get; }

    /// <summary>Whether the stored <paramref name="relative"/> path (the absolute path without its leading '/') matches, exactly.</summary>
    public bool IsMatch(string relative, bool isDirectory)
    {
        if (relative.Length == 0)
        {
            return false;
        }

        if (_matcher.IsExcluded(relative, relative, isDirectory))
        {
            return true;
        }

        // A trailing '/' pattern: every entry below a matching directory.
        for (var cut = relative.LastIndexOf('/'); _anyDirectoryPattern && cut > 0; cut = relative.LastIndexOf('/', cut - 1))
        {
            var ancestor = relative[..cut];
            if (_directories.IsExcluded(ancestor, ancestor, isDirectory: true))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> SqlGlobs(string pattern)
    {
        var directory = pattern.EndsWith('/');
        var body = pattern.TrimEnd('/');
        body = body.StartsWith('/') ? body.TrimStart('/') : body.Contains('/', StringComparison.Ordinal) ? body : "**/" + body;
        var glob = Translate(body);
        yield return glob;
        if (directory)
        {
            yield return glob + "/*";
        }
    }

    /// <summary>A FileSystemGlobbing pattern as an SQLite GLOB matching at least the same paths.</summary>
    private static string Translate(string body)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '*')
            {
                while (i + 1 < body.Length && body[i + 1] == '*')
                {
                    i++;
                }

                // "**/" matches no directory as well as several: drop its '/' so "**/x" still selects "x".
                if (i + 1 < body.Length && body[i + 1] == '/' && i >= 1 && body[i - 1] == '*')
                {
                    i++;
                }

                if (sb.Length == 0 || sb[^1] != '*')
                {
                    sb.Append('*');
                }
            }
            else
            {
                sb.Append(c switch { '?' => "[?]", '[' => "[[]", _ => c.ToString() });
            }
        }

        return sb.ToString();
    }
}
