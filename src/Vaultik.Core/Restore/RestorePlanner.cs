using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Plans one window of a restore: takes the entries <see cref="RestoreSelection"/> accepts (reporting the
/// refused ones), finds files with inconsistent chunk lists, and, with --overwrite or --dry-run, files already
/// in the target with the right content; lays out the chunks of the rest. Reads the target, never changes it.
/// </summary>
internal static class RestorePlanner
{
    public static RestorePlan Plan(MetadataReader snapshot, IReadOnlyList<SnapshotEntry> window, RestoreSelection selection, LinkStandIns standIns, RestoreOptions options, TargetTree tree)
    {
        var problems = new List<string>();
        var selected = new List<SnapshotEntry>();
        foreach (var entry in window)
        {
            // Asked of every entry, selected or not: a repeat is a repeat of the previous path in the snapshot.
            var repeated = selection.Repeats(entry);
            if (!selection.Includes(entry))
            {
                continue;
            }

            if ((RestoreSelection.Refusal(entry) ?? (repeated ? "duplicate path" : null)) is { } problem)
            {
                problems.Add($"cannot restore {entry.Path}: refused ({problem})");
                continue;
            }

            selection.Found(entry);
            selected.Add(standIns.Substitute(snapshot, selection, entry));
        }

        var files = selected.Where(RestoreSelection.IsContentFile).ToList();
        var bad = files.Count == 0 ? [] : snapshot.InconsistentFiles(files.Select(f => f.Id));
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

        var withChunks = needContent.Where(f => f.Size > 0).ToList();
        if (withChunks.Count > 0)
        {
            snapshot.LayOutChunks(withChunks.Select(f => f.Id));
        }

        return new RestorePlan(
            selected.Where(e => e.Type == MetadataSchema.TypeDirectory).ToList(),
            files,
            selected.Where(e => e.Type == MetadataSchema.TypeSymlink).ToList(),
            bad,
            unchanged,
            needContent,
            withChunks.Count > 0 ? snapshot.PlannedBlobs() : [],
            problems);
    }
}
