using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Restores one window of the snapshot (<see cref="RestorePlan"/>): its directories (mode 0700 until the very
/// end), its files pre-sized, their content blob range by blob range (<see cref="ContentRestorer"/>: the window's
/// chunks grouped by blob, so consecutive small files of one blob come from one ranged read), --verify, the
/// files' owner, mode and times, and its symlinks. Then the tree forgets the window's files, except those a
/// hard link will name, so memory stays bounded by the window.
/// </summary>
internal sealed class WindowRestorer
{
    private const int MaxOpenFilesPerSegment = 32;

    private readonly ContentRestorer _content;
    private readonly TargetTree _tree;
    private readonly MetadataReader _snapshot;
    private readonly LinkStandIns _standIns;
    private readonly RestoreOptions _options;
    private readonly RestoreStats _stats;
    private readonly RestoreErrors _errors;
    private readonly EntryMetadata _metadata;

    public WindowRestorer(ContentRestorer content, TargetTree tree, MetadataReader snapshot, LinkStandIns standIns, RestoreOptions options, RestoreStats stats, RestoreErrors errors)
    {
        _content = content;
        _tree = tree;
        _snapshot = snapshot;
        _standIns = standIns;
        _options = options;
        _stats = stats;
        _errors = errors;
        _metadata = new EntryMetadata(tree, options.RestoreOwnership, snapshot, errors);
    }

    /// <summary>
    /// Restores the window. When it stops on an error that is thrown (a full disk, cancellation), the files it
    /// created and did not complete are deleted first, so no file that looks complete but is not stays behind.
    /// </summary>
    public async Task RestoreAsync(IReadOnlyList<SnapshotEntry> window, RestorePlan plan, CancellationToken cancellationToken)
    {
        var writer = new FilesWriter(_tree, MaxOpenFilesPerSegment);
        try
        {
            await RestoreAsync(window, plan, writer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            writer.DiscardUncommitted();
            throw;
        }
    }

    private async Task RestoreAsync(IReadOnlyList<SnapshotEntry> window, RestorePlan plan, FilesWriter writer, CancellationToken cancellationToken)
    {
        foreach (var dir in plan.Directories)
        {
            _errors.Attempt(dir.Path, () => _tree.EnsureDirectory(dir.Path));
        }

        var failed = new HashSet<long>(plan.BadChunkLists);
        foreach (var file in plan.NeedContent)
        {
            if (!_errors.Attempt(file.Path, () => writer.Create(file)))
            {
                failed.Add(file.Id);
            }
        }

        failed.UnionWith(await _content.RestoreAsync(_snapshot, plan.Blobs, writer, _options.Concurrency, _stats, _errors, cancellationToken).ConfigureAwait(false));
        if (_options.Verify)
        {
            _stats.Phase = RestorePhases.Verifying;
            RestoreVerifier.Verify(_snapshot, _tree, writer, plan, failed, _errors);
            _stats.Phase = RestorePhases.Writing;
        }

        foreach (var file in plan.Files)
        {
            // Content that failed goes (a temporary file: the file it would replace stays); complete content is put in place.
            if (failed.Contains(file.Id) || !_errors.Attempt(file.Path, () => writer.Commit(file.Id)))
            {
                writer.Discard(file.Id);
                continue;
            }

            _stats.File();
            _errors.Attempt(file.Path, () => _metadata.Apply(file, isLink: false));
        }

        LinkRestorer.RestoreSymlinks(_tree, plan.Symlinks, _metadata, _stats, _errors);
        Forget(window, plan);
    }

    /// <summary>Drops the window's files from the tree's memory, keeping those some hard link names.</summary>
    private void Forget(IReadOnlyList<SnapshotEntry> window, RestorePlan plan)
    {
        if (plan.Files.Count == 0)
        {
            return;
        }

        var linked = _snapshot.HardLinkTargetsBetween(window[0].Path, window[^1].Path);
        foreach (var file in plan.Files.Where(f => !linked.Contains(f.Path) && !_standIns.IsStandIn(f.Path)))
        {
            _tree.Forget(file.Path);
        }
    }
}
