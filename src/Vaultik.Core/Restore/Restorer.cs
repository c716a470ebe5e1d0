using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Vaultik.Age;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;
using Vaultik.Core.Storage;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Restores a snapshot from its downloaded metadata: directories first, then file content blob by blob
/// (several blobs at once, each read once and only in the ranges that hold needed chunks, chunks written
/// straight to their offsets in pre-sized files), then hard links, symlinks, and finally modes, owners and
/// times, deepest directories last. Entries that are unsafe or whose data is damaged are reported and
/// skipped; everything else is restored.
/// </summary>
public sealed class Restorer
{
    private const int MaxOpenFilesPerBlob = 32;
    private const long SegmentBytes = 32L << 20;

    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IIdentity> _identities;

    public Restorer(IObjectStore store, IReadOnlyList<IIdentity> identities)
    {
        _store = store;
        _identities = identities;
    }

    public async Task<RestoreResult> RestoreAsync(
        MetadataReader snapshot, RestoreOptions options, RestoreStats stats, Action<string> onError, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var errors = new List<string>();
        void Fail(string message)
        {
            lock (errors)
            {
                errors.Add(message);
            }

            onError(message);
        }

        if (!options.Overwrite && !options.DryRun && Directory.Exists(options.TargetDirectory) && Directory.EnumerateFileSystemEntries(options.TargetDirectory).Any())
        {
            throw new ConfigurationException($"cannot restore into {options.TargetDirectory}: the directory is not empty (use --overwrite to replace what differs and keep what matches)");
        }

        var selected = Select(snapshot.ReadEntries(), options.Paths, Fail);
        var files = selected.Where(e => e.Type == MetadataSchema.TypeFile && e.HardlinkTo is null).ToList();
        var bad = snapshot.Plan(files.Select(f => f.Id));
        var failed = new HashSet<long>();
        var needContent = new List<SnapshotEntry>();
        var unchanged = new HashSet<long>();
        var root = Path.GetFullPath(options.TargetDirectory).TrimEnd('/');
        foreach (var file in files)
        {
            if (bad.Contains(file.Id))
            {
                Fail($"cannot restore {file.Path}: its chunk list in the metadata is inconsistent");
                failed.Add(file.Id);
            }
            else if ((options.Overwrite || options.DryRun) && LocalFileCheck.Matches(root + "/" + file.Path, file.Size, snapshot.FileChunks(file.Id).Select(c => c.Chunk).ToList()))
            {
                unchanged.Add(file.Id);
            }
            else
            {
                needContent.Add(file);
            }
        }

        stats.FilesUnchanged = unchanged.Count;
        snapshot.Plan(needContent.Select(f => f.Id));
        stats.BlobBytesNeeded = snapshot.PlannedBlobs().Sum(b => b.Size);
        stats.BytesTotal = needContent.Sum(f => f.Size);
        if (options.DryRun)
        {
            stats.Duration = clock.Elapsed;
            return new RestoreResult(stats, errors) { Planned = needContent.Select(f => f.Path).ToList() };
        }

        var tree = new TargetTree(options.TargetDirectory, options.Overwrite);
        foreach (var dir in selected.Where(e => e.Type == MetadataSchema.TypeDirectory))
        {
            Attempt(dir, () => tree.EnsureDirectory(dir.Path), Fail);
        }

        var paths = new Dictionary<long, string>();
        foreach (var file in needContent)
        {
            if (!Attempt(file, () => CreateSized(tree, file), Fail))
            {
                failed.Add(file.Id);
                continue;
            }

            paths[file.Id] = tree.FullPath(file.Path);
        }

        await RestoreContentAsync(snapshot, options, stats, paths, failed, Fail, cancellationToken).ConfigureAwait(false);
        if (options.Verify)
        {
            foreach (var file in needContent.Where(f => !failed.Contains(f.Id)))
            {
                if (!LocalFileCheck.Matches(tree.FullPath(file.Path), file.Size, snapshot.FileChunks(file.Id).Select(c => c.Chunk).ToList()))
                {
                    Fail($"cannot verify {file.Path}: the restored file does not match the snapshot");
                    failed.Add(file.Id);
                }
            }
        }

        foreach (var file in files)
        {
            if (failed.Contains(file.Id))
            {
                if (paths.TryGetValue(file.Id, out var path))
                {
                    File.Delete(path);
                }

                continue;
            }

            stats.File();
            Attempt(file, () => ApplyMetadata(tree.FullPath(file.Path), file, options, isLink: false), Fail);
        }

        var restoredPaths = files.Where(f => !failed.Contains(f.Id)).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var link in selected.Where(e => e.Type == MetadataSchema.TypeFile && e.HardlinkTo is not null))
        {
            if (!restoredPaths.Contains(link.HardlinkTo!))
            {
                Fail($"cannot restore {link.Path}: it is a hard link of {link.HardlinkTo}, which was not restored");
                continue;
            }

            if (Attempt(link, () => Posix.CreateHardLink(tree.FullPath(link.HardlinkTo!), tree.PrepareLeaf(link.Path)), Fail))
            {
                stats.File();
            }
        }

        foreach (var link in selected.Where(e => e.Type == MetadataSchema.TypeSymlink))
        {
            if (Attempt(link, () => CreateSymlink(tree, link, options), Fail))
            {
                stats.Symlink();
            }
        }

        if (options.Delete)
        {
            stats.Deleted = DeleteExtras(tree, selected, options.Paths, Fail);
        }

        foreach (var dir in selected.Where(e => e.Type == MetadataSchema.TypeDirectory).OrderByDescending(e => e.Path.Count(c => c == '/')))
        {
            if (Attempt(dir, () => ApplyMetadata(tree.FullPath(dir.Path), dir, options, isLink: false), Fail))
            {
                stats.Directory();
            }
        }

        stats.Duration = clock.Elapsed;
        return new RestoreResult(stats, errors);
    }

    private static List<SnapshotEntry> Select(List<SnapshotEntry> all, IReadOnlyList<string> selectors, Action<string> fail)
    {
        var wanted = selectors.Select(PathRules.NormalizeSelector).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<SnapshotEntry>();
        foreach (var entry in all)
        {
            if (wanted.Count > 0 && !wanted.Any(s => PathRules.IsUnder(entry.Path, s) || (entry.Type == MetadataSchema.TypeDirectory && PathRules.IsAncestorOf(entry.Path, s))))
            {
                continue;
            }

            var problem = PathRules.Check(entry.Path)
                ?? (entry.Type is MetadataSchema.TypeFile or MetadataSchema.TypeDirectory or MetadataSchema.TypeSymlink ? null : $"unsupported entry type '{entry.Type}'")
                ?? (entry.Size < 0 ? "negative size" : null)
                ?? (entry.HardlinkTo is not null && PathRules.Check(entry.HardlinkTo) is { } linkProblem ? $"hard link target: {linkProblem}" : null)
                ?? (entry.Type == MetadataSchema.TypeSymlink && string.IsNullOrEmpty(entry.LinkTarget) ? "symlink without a target" : null)
                ?? (seen.Add(entry.Path) ? null : "duplicate path");
            if (problem is not null)
            {
                fail($"cannot restore {entry.Path}: refused ({problem})");
                continue;
            }

            result.Add(entry);
        }

        foreach (var selector in wanted.Where(s => s.Length > 0 && !result.Any(e => PathRules.IsUnder(e.Path, s))))
        {
            fail($"cannot restore {selector}: no such path in the snapshot");
        }

        return result;
    }

    /// <summary>
    /// Removes what is in the target under the restored paths but not in the snapshot, never following
    /// symlinks and never leaving the target.
    /// </summary>
    private static long DeleteExtras(TargetTree tree, List<SnapshotEntry> selected, IReadOnlyList<string> selectors, Action<string> fail)
    {
        var keep = selected.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var roots = selectors.Count == 0
            ? selected.Where(e => e.Path.Length > 0 && !e.Path.Contains('/', StringComparison.Ordinal)).Select(e => e.Path).ToList()
            : selectors.Select(PathRules.NormalizeSelector).ToList();
        long deleted = 0;
        var pending = new Stack<string>(roots.Where(keep.Contains));
        while (pending.Count > 0)
        {
            var relative = pending.Pop();
            var full = tree.FullPath(relative);
            if (!Posix.TryLstat(full, out var status, out _) || !status.IsDirectory)
            {
                continue;
            }

            foreach (var child in Directory.EnumerateFileSystemEntries(full).ToList())
            {
                var childRelative = relative + "/" + Path.GetFileName(child);
                if (keep.Contains(childRelative))
                {
                    pending.Push(childRelative);
                    continue;
                }

                try
                {
                    if (Posix.TryLstat(child, out var s, out _) && s.IsDirectory)
                    {
                        Directory.Delete(child, recursive: true);
                    }
                    else
                    {
                        File.Delete(child);
                    }

                    deleted++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    fail($"cannot delete {childRelative}: {ex.Message}");
                }
            }
        }

        return deleted;
    }

    private static void CreateSized(TargetTree tree, SnapshotEntry file)
    {
        var full = tree.PrepareLeaf(file.Path);
        using var handle = Posix.OpenForWriting(full, createNew: true);
        if (file.Size > 0)
        {
            RandomAccess.SetLength(handle, file.Size);
        }
    }

    private async Task RestoreContentAsync(
        MetadataReader snapshot, RestoreOptions options, RestoreStats stats, Dictionary<long, string> paths,
        HashSet<long> failed, Action<string> fail, CancellationToken cancellationToken)
    {
        // Work items are segments of blobs (about SegmentBytes of frames each), produced lazily in store order,
        // so one large blob is still read by several workers at once and memory holds only the segments in flight.
        IEnumerable<RestoreSegment> Segments()
        {
            foreach (var blob in snapshot.PlannedBlobs())
            {
                var targets = snapshot.TargetsInBlob(blob.Hash);
                var segment = new List<PackedChunk>();
                long frameBytes = 0;
                var first = true;
                foreach (var chunk in targets.Values.Select(t => t.Chunk).OrderBy(c => c.FrameOffset))
                {
                    segment.Add(chunk);
                    frameBytes += chunk.FrameLength;
                    if (frameBytes >= SegmentBytes)
                    {
                        yield return new RestoreSegment(blob.Hash, blob.Size, segment, targets, first);
                        segment = [];
                        frameBytes = 0;
                        first = false;
                    }
                }

                if (segment.Count > 0)
                {
                    yield return new RestoreSegment(blob.Hash, blob.Size, segment, targets, first);
                }
            }
        }

        await Parallel.ForEachAsync(
            Segments(),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken },
            async (segment, ct) =>
            {
                var handles = new Dictionary<long, SafeFileHandle>();
                try
                {
                    var reader = await BlobReader.OpenAsync(_store, segment.Blob, segment.BlobSize, _identities, ct).ConfigureAwait(false);
                    await reader.ReadChunksAsync(segment.Chunks, (chunk, data) =>
                    {
                        var allZero = data.Span.IndexOfAnyExcept((byte)0) < 0;
                        foreach (var (fileId, offset) in segment.Targets[chunk.FrameOffset].Targets)
                        {
                            if (!paths.TryGetValue(fileId, out var path))
                            {
                                continue;
                            }

                            // Files are pre-sized, so a run of zeros can stay a hole.
                            if (!allZero)
                            {
                                RandomAccess.Write(OpenHandle(handles, fileId, path), data.Span, offset);
                            }

                            stats.Wrote(data.Length);
                        }

                        return ValueTask.CompletedTask;
                    }, ct).ConfigureAwait(false);
                    stats.Fetched(reader.BytesFetched, segment.IsFirst);
                }
                catch (Exception ex) when (ex is VaultikException or IOException or UnauthorizedAccessException)
                {
                    var affected = segment.Chunks.SelectMany(c => segment.Targets[c.FrameOffset].Targets).Select(t => t.FileId).Distinct().ToList();
                    lock (failed)
                    {
                        failed.UnionWith(affected);
                    }

                    var reason = ex is ObjectNotFoundException ? $"blob {segment.Blob} is missing from the store" : ex.Message;
                    fail($"cannot restore {affected.Count} file(s) that need blob {segment.Blob}: {reason}");
                }
                finally
                {
                    foreach (var handle in handles.Values)
                    {
                        handle.Dispose();
                    }
                }
            }).ConfigureAwait(false);
    }

    /// <summary>An open write handle for a file, keeping at most <see cref="MaxOpenFilesPerBlob"/> open at once.</summary>
    private static SafeFileHandle OpenHandle(Dictionary<long, SafeFileHandle> handles, long fileId, string path)
    {
        if (handles.TryGetValue(fileId, out var handle))
        {
            return handle;
        }

        // Bounded: a blob of many small files must not exhaust file descriptors.
        if (handles.Count >= MaxOpenFilesPerBlob)
        {
            foreach (var open in handles.Values)
            {
                open.Dispose();
            }

            handles.Clear();
        }

        handle = Posix.OpenForWriting(path, createNew: false);
        handles[fileId] = handle;
        return handle;
    }

    private sealed record RestoreSegment(
        Hash256 Blob, long BlobSize, List<PackedChunk> Chunks,
        Dictionary<long, (PackedChunk Chunk, List<(long FileId, long Offset)> Targets)> Targets, bool IsFirst);

    private static void CreateSymlink(TargetTree tree, SnapshotEntry link, RestoreOptions options)
    {
        var full = tree.PrepareLeaf(link.Path);
        File.CreateSymbolicLink(full, link.LinkTarget!);
        ApplyMetadata(full, link, options, isLink: true);
    }

    private static void ApplyMetadata(string full, SnapshotEntry entry, RestoreOptions options, bool isLink)
    {
        if (options.RestoreOwnership)
        {
            Posix.Lchown(full, entry.Uid, entry.Gid);
        }

        if (!isLink)
        {
            Posix.Chmod(full, entry.Mode & 0xFFF);
        }

        Posix.SetTimes(full, entry.MtimeNs, entry.MtimeNs, noFollow: true);
    }

    private static bool Attempt(SnapshotEntry entry, Action action, Action<string> fail)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var message = ex.Message.StartsWith("cannot ", StringComparison.Ordinal) ? ex.Message : $"cannot restore {entry.Path}: {ex.Message}";
            fail(message);
            return false;
        }
    }
}
