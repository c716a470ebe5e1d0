using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Which snapshot entries a restore takes: those under the path selectors (and the directories above them) that
/// the <c>--include</c>/<c>--exclude</c> <see cref="PathFilter"/> selects (and the directories holding such
/// entries, which <paramref name="holdsSelected"/> answers from a marking pass), less the unsafe or malformed
/// ones (<see cref="Refusal"/>). A pure test of one entry, so every pass over the
/// snapshot (windows, hard links, directory metadata, --delete) asks it again instead of keeping a list; it
/// only remembers which selectors matched something (<see cref="Missing"/>).
/// </summary>
internal sealed class RestoreSelection
{
    /// <summary>The largest file size restored: up to it, sums of chunk lengths compare exactly (docs/FORMAT.md).</summary>
    public const long MaxFileSize = 1L << 53;

    private const int MaxMode = 0xFFF;
    private const long MaxId = uint.MaxValue - 1;

    private readonly List<string> _wanted;
    private readonly bool[] _found;
    private readonly PathFilter _filter;
    private readonly Func<string, bool> _holdsSelected;
    private string? _previous;

    public RestoreSelection(IReadOnlyList<string> selectors)
        : this(selectors, PathFilter.None, _ => false)
    {
    }

    /// <param name="holdsSelected">Whether a directory holds an entry <paramref name="filter"/> selects (asked only when it has include patterns).</param>
    public RestoreSelection(IReadOnlyList<string> selectors, PathFilter filter, Func<string, bool> holdsSelected)
    {
        _wanted = selectors.Select(PathRules.NormalizeSelector).ToList();
        _found = new bool[_wanted.Count];
        _filter = filter;
        _holdsSelected = holdsSelected;
    }

    /// <summary>The --include/--exclude filter.</summary>
    public PathFilter Filter => _filter;

    /// <summary>The normalised selectors (empty: everything).</summary>
    public IReadOnlyList<string> Selectors => _wanted;

    /// <summary>
    /// Whether <paramref name="entry"/> lies under a selector, or is a directory above one, and the filter selects
    /// it (or, for a directory, something under it). An entry under a selector that only the filter leaves out
    /// still counts as found for <see cref="Missing"/>: the path exists.
    /// </summary>
    public bool Includes(SnapshotEntry entry)
    {
        if (!Selected(entry))
        {
            return false;
        }

        var isDirectory = entry.Type == MetadataSchema.TypeDirectory;
        if (_filter.IsEmpty || _filter.Accepts(entry.Path, isDirectory) || (isDirectory && _filter.HasIncludes && _holdsSelected(entry.Path)))
        {
            return true;
        }

        Found(entry);
        return false;
    }

    /// <summary>Whether <paramref name="entry"/> lies under a selector, or is a directory above one (the filter not asked).</summary>
    public bool Selected(SnapshotEntry entry) =>
        _wanted.Count == 0 || _wanted.Any(s => PathRules.IsUnder(entry.Path, s) || (entry.Type == MetadataSchema.TypeDirectory && PathRules.IsAncestorOf(entry.Path, s)));

    /// <summary>Whether a file at <paramref name="path"/> would be restored: under a selector and let through by --include/--exclude.</summary>
    public bool IncludesFile(string path) =>
        (_wanted.Count == 0 || _wanted.Any(s => PathRules.IsUnder(path, s))) && (_filter.IsEmpty || _filter.Accepts(path, isDirectory: false));

    /// <summary>Whether <paramref name="entry"/> is restored: included and not refused.</summary>
    public bool Accepts(SnapshotEntry entry) => Includes(entry) && Refusal(entry) is null;

    /// <summary>Records that <paramref name="entry"/> (accepted) was found, for <see cref="Missing"/>.</summary>
    public void Found(SnapshotEntry entry)
    {
        for (var i = 0; i < _wanted.Count; i++)
        {
            _found[i] |= _wanted[i].Length == 0 || PathRules.IsUnder(entry.Path, _wanted[i]);
        }
    }

    /// <summary>
    /// Whether <paramref name="entry"/> repeats the path of the entry before it. Asked of every entry in path
    /// order (the windows), it finds each duplicate path of a hostile database (one without UNIQUE on paths).
    /// </summary>
    public bool Repeats(SnapshotEntry entry)
    {
        var repeated = string.Equals(entry.Path, _previous, StringComparison.Ordinal);
        _previous = entry.Path;
        return repeated;
    }

    /// <summary>The selectors nothing accepted lay under (after every entry went through <see cref="Found"/>).</summary>
    public IEnumerable<string> Missing() => _wanted.Where((s, i) => s.Length > 0 && !_found[i]);

    /// <summary>
    /// Why <paramref name="entry"/> must not be restored, or null (a repeated path is <see cref="Repeats"/>'
    /// business; ids are the table's rowid, so unique).
    /// </summary>
    public static string? Refusal(SnapshotEntry entry) =>
        (entry.Type == MetadataSchema.TypeMalformed ? "malformed row: a value of the wrong type" : null)
        ?? PathRules.Check(entry.Path)
        ?? (entry.Type is MetadataSchema.TypeFile or MetadataSchema.TypeDirectory or MetadataSchema.TypeSymlink ? null : $"unsupported entry type '{entry.Type}'")
        ?? (entry.Size < 0 ? "negative size" : null)
        ?? (entry.Size > MaxFileSize ? "size beyond 2^53 bytes" : null)
        ?? (entry.Mode is < 0 or > MaxMode ? "mode outside 0..07777" : null)
        ?? (entry.Uid is < 0 or > MaxId || entry.Gid is < 0 or > MaxId ? "owner outside 0..4294967294" : null)
        ?? (entry.HardlinkTo is not null && PathRules.Check(entry.HardlinkTo) is { } linkProblem ? $"hard link target: {linkProblem}" : null)
        ?? (entry.Type == MetadataSchema.TypeSymlink ? PathRules.CheckLinkTarget(entry.LinkTarget) : null);

    /// <summary>A regular file with content of its own (not a hard link).</summary>
    public static bool IsContentFile(SnapshotEntry entry) => entry.Type == MetadataSchema.TypeFile && entry.HardlinkTo is null;

    /// <summary>A regular file that is a hard link of an earlier path.</summary>
    public static bool IsHardLink(SnapshotEntry entry) => entry.Type == MetadataSchema.TypeFile && entry.HardlinkTo is not null;
}
