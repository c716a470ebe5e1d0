using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Restores one window of the snapshot (<see cref="RestorePlan"/>): its directories (mode 0700 until the very
/// end), its files' content blob range by blob range (<see cref="ContentRestorer"/>: the window's chunks grouped by
/// blob, so consecutive small files of one blob come from one ranged read) with one open per file
/// (<see cref="FilesWriter"/>: created, written, owner, mode, attributes and times set on that descriptor, closed),
/// empty files, --verify, and its symlinks. With --verify a file's metadata waits until it is verified and goes
/// through a checked reopen. Then the tree forgets the window's files, except those a hard link will name, so
/// memory stays bounded by the window.
/// </summary>
internal sealed class WindowRestorer
{
    /// <summary>The most files one window holds open (only files fed by several segments stay open between chunks).</summary>
    private const int MaxOpenFiles = 64;

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
        var linked = plan.Files.Count == 0 ? [] : _snapshot.HardLinkTargetsBetween(window[0].Path, window[^1].Path);
        // Only files a later step finds by name again have their inode remembered (one fstat): hard-link targets,
        // stand-ins, and with --verify every file. The others are never looked up again: their descriptor is all.
        var writer = new FilesWriter(
            _tree,
            MaxOpenFiles,
            file => _options.Verify || linked.Contains(file.Path) || _standIns.IsStandIn(file.Path),
            _options.Verify ? null : (handle, file) => _errors.Attempt(file.Path, () => _metadata.ApplyTo(handle, file)));
        try
        {
            await RestoreAsync(plan, writer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            writer.DiscardUncommitted();
            throw;
        }

        Forget(plan, linked);
    }

    private async Task RestoreAsync(RestorePlan plan, FilesWriter writer, CancellationToken cancellationToken)
    {
        foreach (var dir in plan.Directories)
        {
            _errors.Attempt(dir.Path, () => _tree.EnsureDirectory(dir.Path));
        }

        _metadata.Prefetch(plan.Files.Concat(plan.Symlinks));
        var failed = new HashSet<long>(plan.BadChunkLists);
        foreach (var file in plan.NeedContent)
        {
            writer.Add(file);
        }

        failed.UnionWith(await _content.RestoreAsync(_snapshot, plan.Blobs, writer, _options.Concurrency, _stats, _errors, cancellationToken).ConfigureAwait(false));
        failed.UnionWith(writer.Failed);
        foreach (var file in plan.NeedContent.Where(f => !failed.Contains(f.Id)))
        {
            // Empty files (no chunk made them) are created here; content that never arrived fails the file.
            if (!_errors.Attempt(file.Path, () => writer.Complete(file.Id)))
            {
                failed.Add(file.Id);
            }
        }

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
            if (!writer.MetadataApplied(file.Id))
            {
                // Files found matching (--overwrite), and with --verify: by a descriptor checked to be the inode.
                _errors.Attempt(file.Path, () => _metadata.Apply(file, isLink: false));
            }
        }

        LinkRestorer.RestoreSymlinks(_tree, plan.Symlinks, _metadata, _stats, _errors);
    }

    /// <summary>Drops the window's files from the tree's memory, keeping those some hard link names.</summary>
    private void Forget(RestorePlan plan, HashSet<string> linked)
    {
        foreach (var file in plan.Files.Where(f => !linked.Contains(f.Path) && !_standIns.IsStandIn(f.Path)))
        {
            _tree.Forget(file.Path);
        }
    }
}
