using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Builds a restore's <see cref="RestoreSelection"/> from its PATHs and <c>--include</c>/<c>--exclude</c>
/// globs. With include patterns, a directory is restored when anything under it is selected, which an entry
/// alone cannot tell: one pass over the snapshot in path order marks the directories above each selected entry
/// in a helper table of the metadata database (<see cref="MetadataReader.MarkDirectories"/>), in batches, so
/// memory holds one batch whatever the snapshot's size.
/// </summary>
internal static class FilteredSelection
{
    private const int Batch = 4096;

    public static RestoreSelection Create(MetadataReader snapshot, RestoreOptions options)
    {
        var filter = new PathFilter(options.Include, options.Exclude);
        var selection = new RestoreSelection(options.Paths, filter, snapshot.IsMarkedDirectory);
        if (filter.HasIncludes)
        {
            MarkDirectories(snapshot, selection, filter);
        }

        return selection;
    }

    private static void MarkDirectories(MetadataReader snapshot, RestoreSelection selection, PathFilter filter)
    {
        var batch = new List<string>();
        string? lastMarked = null;
        snapshot.MarkDirectories([]);
        foreach (var entry in SnapshotPasses.Entries(snapshot))
        {
            if (!selection.Selected(entry) || !filter.Accepts(entry.Path, entry.Type == MetadataSchema.TypeDirectory))
            {
                continue;
            }

            for (var slash = entry.Path.LastIndexOf('/'); slash > 0; slash = entry.Path.LastIndexOf('/', slash - 1))
            {
                var ancestor = entry.Path[..slash];
                if (lastMarked is not null && PathRules.IsUnder(lastMarked, ancestor))
                {
                    break;
                }

                batch.Add(ancestor);
            }

            var parent = entry.Path.LastIndexOf('/');
            lastMarked = parent > 0 ? entry.Path[..parent] : lastMarked;
            if (batch.Count >= Batch)
            {
                snapshot.MarkDirectories(batch);
                batch.Clear();
            }
        }

        snapshot.MarkDirectories(batch);
    }
}
