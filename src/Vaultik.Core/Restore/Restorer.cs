using System.Diagnostics;
using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Restore;

/// <summary>
/// Restores a snapshot from its downloaded metadata: plans first (<see cref="RestorePlanner"/>), then creates
/// directories and pre-sized files, restores content blob by blob (<see cref="ContentRestorer"/>), optionally
/// verifies it, then hard links, symlinks, --delete, and finally modes, owners and times, deepest directories
/// last. Entries that are unsafe or whose data is damaged are reported and skipped; everything else is restored.
/// </summary>
public sealed class Restorer
{
    private const int MaxOpenFilesPerSegment = 32;

    private readonly ContentRestorer _content;

    public Restorer(IObjectStore store, IReadOnlyList<IIdentity> identities) => _content = new ContentRestorer(store, identities);

    public async Task<RestoreResult> RestoreAsync(
        MetadataReader snapshot, RestoreOptions options, RestoreStats stats, Action<string> onError, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var errors = new RestoreErrors(onError);
        using var tree = new TargetTree(options.TargetDirectory, options.Overwrite);
        tree.RefuseSymlinkedRoot();
        if (!options.Overwrite && !options.DryRun && tree.HasEntries())
        {
            throw new ConfigurationException($"cannot restore into {options.TargetDirectory}: the directory is not empty (use --overwrite to replace what differs and keep what matches)");
        }

        var plan = RestorePlanner.Plan(snapshot, options, tree);
        foreach (var problem in plan.Problems)
        {
            errors.Add(problem);
        }

        stats.FilesUnchanged = plan.Unchanged.Count;
        stats.BlobBytesNeeded = plan.BlobBytesNeeded;
        stats.BytesTotal = plan.BytesTotal;
        stats.FilesTotal = plan.Files.Count + plan.HardLinks.Count;
        if (options.DryRun)
        {
            stats.Duration = clock.Elapsed;
            stats.Phase = RestorePhases.Done;
            return new RestoreResult(stats, errors.ToList()) { Planned = plan.NeedContent.Select(f => f.Path).ToList() };
        }

        stats.Phase = RestorePhases.Writing;
        tree.EnsureDirectory(string.Empty);
        foreach (var dir in plan.Directories)
        {
            errors.Attempt(dir.Path, () => tree.EnsureDirectory(dir.Path));
        }

        var failed = new HashSet<long>(plan.BadChunkLists);
        var writer = new FilesWriter(tree, MaxOpenFilesPerSegment);
        foreach (var file in plan.NeedContent)
        {
            if (!errors.Attempt(file.Path, () => writer.Create(file)))
            {
                failed.Add(file.Id);
            }
        }

        failed.UnionWith(await _content.RestoreAsync(snapshot, plan, writer, options.Concurrency, stats, errors, cancellationToken).ConfigureAwait(false));
        if (options.Verify)
        {
            stats.Phase = RestorePhases.Verifying;
            RestoreVerifier.Verify(snapshot, tree, plan, failed, errors);
        }

        stats.Phase = RestorePhases.Finishing;
        var metadata = new EntryMetadata(tree, options.RestoreOwnership);
        foreach (var file in plan.Files)
        {
            if (failed.Contains(file.Id))
            {
                writer.Discard(file.Id);
                continue;
            }

            stats.File();
            errors.Attempt(file.Path, () => metadata.Apply(file, isLink: false));
        }

        var restored = plan.Files.Where(f => !failed.Contains(f.Id)).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        LinkRestorer.RestoreHardLinks(tree, plan, restored, stats, errors);
        LinkRestorer.RestoreSymlinks(tree, plan, metadata, stats, errors);
        if (options.Delete)
        {
            stats.Deleted = ExtrasRemover.Remove(tree, plan, options.Paths, errors);
        }

        foreach (var dir in plan.Directories.OrderByDescending(e => e.Path.Count(c => c == '/')))
        {
            if (errors.Attempt(dir.Path, () => metadata.Apply(dir, isLink: false)))
            {
                stats.Directory();
            }
        }

        stats.Duration = clock.Elapsed;
        stats.Phase = RestorePhases.Done;
        return new RestoreResult(stats, errors.ToList());
    }
}
