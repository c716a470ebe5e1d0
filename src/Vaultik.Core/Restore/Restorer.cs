using System.Diagnostics;
using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Restore;

/// <summary>
/// Restores a snapshot from its downloaded metadata, streaming: a first pass counts what will be restored, then
/// the entries go in path order (a directory before what it holds) through bounded windows (at most
/// <see cref="WindowEntries"/> entries and <see cref="WindowBytes"/> of content each), each planned
/// (<see cref="RestorePlanner"/>) and restored (<see cref="WindowRestorer"/>) before the next is read. Then hard
/// links, --delete, and last the directories' modes, owners and times, read from the database in reverse path
/// order (everything under a directory before it). Memory holds one window, the directories' inode
/// identities and the files hard links name, never the whole snapshot. Entries that are unsafe or whose data
/// is damaged are reported and skipped; everything else is restored.
/// </summary>
public sealed class Restorer
{
    /// <summary>The most entries in one window.</summary>
    public const int WindowEntries = 4096;

    /// <summary>The most bytes of file content in one window (a larger file has a window of its own).</summary>
    public const long WindowBytes = 1L << 30;

    private readonly ContentRestorer _content;

    public Restorer(IObjectStore store, IReadOnlyList<IIdentity> identities) => _content = new ContentRestorer(store, identities);

    /// <summary>
    /// Restores <paramref name="snapshot"/> as <paramref name="options"/> say. A full target stops the restore with
    /// one error naming it (the window in progress leaves no incomplete file behind).
    /// </summary>
    public async Task<RestoreResult> RestoreAsync(
        MetadataReader snapshot, RestoreOptions options, RestoreStats stats, Action<string> onError, CancellationToken cancellationToken, Action<string>? onWarning = null)
    {
        try
        {
            return await RestoreCoreAsync(snapshot, options, stats, onError, onWarning, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Platform.DiskFull.Is(ex))
        {
            throw new VaultikException($"cannot restore into {options.TargetDirectory}: {Platform.DiskFull.Reason} (the restore target is full; files not completed were removed)", ex);
        }
    }

    private async Task<RestoreResult> RestoreCoreAsync(
        MetadataReader snapshot, RestoreOptions options, RestoreStats stats, Action<string> onError, Action<string>? onWarning, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var errors = new RestoreErrors(onError, onWarning);
        using var tree = new TargetTree(options.TargetDirectory, options.Overwrite);
        tree.RefuseSymlinkedRoot();
        if (!options.Overwrite && !options.DryRun && tree.HasEntries())
        {
            throw new ConfigurationException($"cannot restore into {options.TargetDirectory}: the directory is not empty (use --overwrite to replace what differs and keep what matches)");
        }

        var selection = FilteredSelection.Create(snapshot, options);
        Count(snapshot, selection, stats);
        var planned = new List<string>();
        var standIns = new LinkStandIns();
        var windows = new WindowRestorer(_content, tree, snapshot, standIns, options, stats, errors);
        if (!options.DryRun)
        {
            stats.Phase = RestorePhases.Writing;
            tree.EnsureDirectory(string.Empty);
        }

        foreach (var window in SnapshotPasses.Windows(snapshot, WindowEntries, WindowBytes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var plan = RestorePlanner.Plan(snapshot, window, selection, standIns, options, tree);
            foreach (var problem in plan.Problems)
            {
                errors.Add(problem);
            }

            foreach (var file in plan.Files.Where(f => plan.Unchanged.Contains(f.Id)))
            {
                stats.Kept(file.Size);
            }

            stats.Needs(plan.Blobs);
            if (options.DryRun)
            {
                planned.AddRange(plan.NeedContent.Select(f => f.Path));
                foreach (var file in plan.Files)
                {
                    // Files found matching were adopted by the tree; a dry run is done with them here.
                    tree.Forget(file.Path);
                }

                continue;
            }

            await windows.RestoreAsync(window, plan, cancellationToken).ConfigureAwait(false);
        }

        foreach (var selector in selection.Missing())
        {
            errors.Add($"cannot restore {selector}: no such path in the snapshot");
        }

        if (!options.DryRun)
        {
            Finish(tree, snapshot, selection, standIns, options, stats, errors);
        }

        stats.Duration = clock.Elapsed;
        stats.Phase = RestorePhases.Done;
        return new RestoreResult(stats, errors.ToList()) { Planned = planned, Warnings = errors.Warnings() };
    }

    /// <summary>The totals progress shows: files (and hard links) and bytes of content the selection restores.</summary>
    private static void Count(MetadataReader snapshot, RestoreSelection selection, RestoreStats stats)
    {
        // A hard link whose first name is not selected brings the content when it is the inode's first selected name.
        var outside = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in SnapshotPasses.Entries(snapshot).Where(e => e.Type == MetadataSchema.TypeFile && selection.Accepts(e)))
        {
            stats.FilesTotal++;
            if (entry.HardlinkTo is null || (!selection.IncludesFile(entry.HardlinkTo) && outside.Add(entry.HardlinkTo)))
            {
                stats.BytesTotal += entry.Size;
            }
        }
    }

    /// <summary>Hard links, --delete, then the directories' owner, mode and times, deepest first.</summary>
    private static void Finish(TargetTree tree, MetadataReader snapshot, RestoreSelection selection, LinkStandIns standIns, RestoreOptions options, RestoreStats stats, RestoreErrors errors)
    {
        stats.Phase = RestorePhases.Finishing;
        LinkRestorer.RestoreHardLinks(tree, snapshot, selection, standIns, stats, errors);
        if (options.Delete)
        {
            stats.Deleted = ExtrasRemover.Remove(tree, snapshot, selection, errors);
        }

        var metadata = new EntryMetadata(tree, options.RestoreOwnership, snapshot, errors);
        foreach (var dir in SnapshotPasses.Entries(snapshot, descending: true, directoriesOnly: true).Where(e => e.Type == MetadataSchema.TypeDirectory && selection.Accepts(e)))
        {
            if (errors.Attempt(dir.Path, () => metadata.Apply(dir, isLink: false)))
            {
                stats.Directory();
            }

            tree.Forget(dir.Path);
        }
    }
}
