using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Plans a restore: selects the entries under the path selectors, refuses unsafe or malformed ones
/// (<see cref="PathRules"/>), finds files with inconsistent chunk lists, and, with --overwrite or --dry-run,
/// files already in the target with the right content. Reads the target, never changes it.
/// </summary>
internal static class RestorePlanner
{
    /// <summary>The largest file size restored: up to it, sums of chunk lengths compare exactly (docs/FORMAT.md).</summary>
    public const long MaxFileSize = 1L << 53;

    private const int MaxMode = 0xFFF;
    private const long MaxId = uint.MaxValue - 1;

    public static RestorePlan Plan(MetadataReader snapshot, RestoreOptions options, TargetTree tree)
    {
        var problems = new List<string>();
        var selected = Select(snapshot.ReadEntries(), options.Paths, problems);
        var files = selected.Where(e => e.Type == MetadataSchema.TypeFile && e.HardlinkTo is null).ToList();
        var bad = snapshot.InconsistentFiles(files.Select(f => f.Id));
        var unchanged = new HashSet<long>();
        var needContent = new List<SnapshotEntry>();
        foreach (var file in files)
        {
            if (bad.Contains(file.Id))
            {
                problems.Add($"cannot restore {file.Path}: its chunk list in the metadata is inconsistent");
            }
            else if ((options.Overwrite || options.DryRun) && tree.Matches(file.Path, file.Size, snapshot.FileChunks(file.Id).Select(c => c.Chunk).ToList(), options.RestoreOwnership ? (file.Uid, file.Gid) : null))
            {
                unchanged.Add(file.Id);
            }
            else
            {
                needContent.Add(file);
            }
        }

        snapshot.LayOutChunks(needContent.Select(f => f.Id));
        return new RestorePlan(
            selected.Where(e => e.Type == MetadataSchema.TypeDirectory).ToList(),
            files,
            selected.Where(e => e.Type == MetadataSchema.TypeFile && e.HardlinkTo is not null).ToList(),
            selected.Where(e => e.Type == MetadataSchema.TypeSymlink).ToList(),
            bad,
            unchanged,
            needContent,
            snapshot.PlannedBlobs(),
            problems)
        {
            Selected = selected,
        };
    }

    private static List<SnapshotEntry> Select(List<SnapshotEntry> all, IReadOnlyList<string> selectors, List<string> problems)
    {
        var wanted = selectors.Select(PathRules.NormalizeSelector).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<long>();
        var result = new List<SnapshotEntry>();
        foreach (var entry in all)
        {
            if (wanted.Count > 0 && !wanted.Any(s => PathRules.IsUnder(entry.Path, s) || (entry.Type == MetadataSchema.TypeDirectory && PathRules.IsAncestorOf(entry.Path, s))))
            {
                continue;
            }

            if (Refusal(entry, seen, ids) is { } problem)
            {
                problems.Add($"cannot restore {entry.Path}: refused ({problem})");
                continue;
            }

            result.Add(entry);
        }

        foreach (var selector in wanted.Where(s => s.Length > 0 && !result.Any(e => PathRules.IsUnder(e.Path, s))))
        {
            problems.Add($"cannot restore {selector}: no such path in the snapshot");
        }

        return result;
    }

    /// <summary>Why <paramref name="entry"/> must not be restored, or null.</summary>
    private static string? Refusal(SnapshotEntry entry, HashSet<string> seen, HashSet<long> ids) =>
        (entry.Type == MetadataSchema.TypeMalformed ? "malformed row: a value of the wrong type" : null)
        ?? PathRules.Check(entry.Path)
        ?? (entry.Type is MetadataSchema.TypeFile or MetadataSchema.TypeDirectory or MetadataSchema.TypeSymlink ? null : $"unsupported entry type '{entry.Type}'")
        ?? (entry.Size < 0 ? "negative size" : null)
        ?? (entry.Size > MaxFileSize ? "size beyond 2^53 bytes" : null)
        ?? (entry.Mode is < 0 or > MaxMode ? "mode outside 0..07777" : null)
        ?? (entry.Uid is < 0 or > MaxId || entry.Gid is < 0 or > MaxId ? "owner outside 0..4294967294" : null)
        ?? (entry.HardlinkTo is not null && PathRules.Check(entry.HardlinkTo) is { } linkProblem ? $"hard link target: {linkProblem}" : null)
        ?? (entry.Type == MetadataSchema.TypeSymlink ? PathRules.CheckLinkTarget(entry.LinkTarget) : null)
        ?? (seen.Add(entry.Path) ? null : "duplicate path")
        ?? (ids.Add(entry.Id) ? null : "duplicate id");
}
