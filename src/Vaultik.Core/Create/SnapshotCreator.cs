using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Vaultik.Core.Index;
using Vaultik.Core.Source;
using Vaultik.Core.Storage;
using Vaultik.Core.Metadata;
using Vaultik.Core.Layout;
using Vaultik.Core.Locking;
using Vaultik.Core.Platform;
using Vaultik.Core.Streams;

namespace Vaultik.Core.Create;

/// <summary>
/// Runs one <c>snapshot create</c>: reconciles the index with the store, walks and reads the sources through
/// the <see cref="CreatePipeline"/>, then stores the metadata and, last, the manifest that marks the
/// snapshot complete (docs/FORMAT.md, "Remote layout").
/// </summary>
public sealed class SnapshotCreator
{
    private readonly IObjectStore _store;
    private readonly LocalIndex _index;
    private readonly ICreateObserver _observer;
    private readonly HeldLock _storeLock;

    /// <param name="storeLock">The shared store lock of the run: checked before the metadata and the manifest are written.</param>
    public SnapshotCreator(IObjectStore store, LocalIndex index, ICreateObserver observer, HeldLock storeLock)
    {
        _store = store;
        _index = index;
        _observer = observer;
        _storeLock = storeLock;
    }

    /// <summary>What this run does, for the lost-lock error: "create snapshot NAME", then "finish snapshot ID".</summary>
    private string _doing = "create a snapshot";

    /// <summary>
    /// Runs the snapshot; <paramref name="stats"/> is updated live so a caller can show progress. A run whose
    /// store lock is lost fails with <see cref="LockLostException"/> and leaves no manifest.
    /// </summary>
    public async Task<CreateResult> RunAsync(CreateOptions options, CreateStats stats, CancellationToken cancellationToken)
    {
        _doing = $"create snapshot {options.Name}";
        try
        {
            return await RunCoreAsync(options, stats, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (_storeLock.IsLost && (ex as LockLostException)?.Doing != _doing)
        {
            // Whatever a lost lock interrupted (a cancelled upload, a refused call) is reported as the lost lock.
            throw new LockLostException(_doing, _storeLock.LostReason, ex);
        }
    }

    private async Task<CreateResult> RunCoreAsync(CreateOptions options, CreateStats stats, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var warnings = new List<string>();
        void Warn(string path, string reason)
        {
            lock (warnings)
            {
                warnings.Add($"{path}: {reason}");
            }

            _observer.Warning(path, reason);
        }

        // Between the daemon's full scans, directories its watcher saw no change in are taken from the last walk.
        var stream = options.Stream;
        using var previous = stream is null && options.Walk == WalkMode.Incremental && options.DirtyPaths is not null
            ? _index.Walks.OpenPrevious(options.Name, options.WalkSignature())
            : null;
        var shortcut = previous is null ? null : new DirtySetShortcut(options.DirtyPaths!, previous, stats);

        // Validate the sources before anything is written (a missing root is a usage error).
        var walker = new FileSystemWalker(new WalkOptions(options.Excludes, options.OneFileSystem) { Rules = options.ExcludeRules }, new WalkObserver(Warn, _observer.Notice), shortcut);
        using var entries = (stream is null ? walker.Walk(options.Paths) : StreamEntries.Directories(stream, started)).GetEnumerator();
        var hasFirst = entries.MoveNext();

        if (_index.Chunks.KeepOnlyFor(options.Recipients.Select(r => r.ToString()!)))
        {
            _observer.Info("the recipients changed: this snapshot stores all of its data again, encrypted to the new recipients only");
        }

        stats.Phase = CreatePhases.Reconciling;
        _observer.Phase("reconciling the index with the store");
        var known = await ReconcileAsync(cancellationToken).ConfigureAwait(false);

        var id = await FreshIdAsync(started, options, cancellationToken).ConfigureAwait(false);
        stats.SnapshotId = id.Value;
        _doing = $"finish snapshot {id}";
        var work = Path.Combine(options.TempDirectory, id.Value);
        PrivateFiles.CreateDirectory(work);
        try
        {
            SnapshotManifest manifest;
            using var walkRecord = options.Walk == WalkMode.Full || stream is not null ? null : new WalkRecorder(work);
            using (var metadata = new MetadataDbWriter(work))
            {
                metadata.SetInfo("id", id.Value);
                metadata.SetInfo("hostname", options.Hostname);
                metadata.SetInfo("name", options.Name);
                metadata.SetInfo("created", started.ToString("O", CultureInfo.InvariantCulture));
                metadata.SetInfo("format_version", SnapshotManifest.CurrentFormatVersion.ToString(CultureInfo.InvariantCulture));
                metadata.SetInfo("vaultik_version", typeof(SnapshotCreator).Assembly.GetName().Version?.ToString() ?? "0");
                metadata.SetInfo("paths", JsonSerializer.Serialize(stream is null ? options.Paths.ToArray() : [stream.FileName], StringArrayJsonContext.Default.StringArray));
                metadata.SetInfo("tags", JsonSerializer.Serialize(options.Tags.ToArray(), StringArrayJsonContext.Default.StringArray));

                stats.Phase = CreatePhases.Reading;
                _observer.Phase("reading files");
                await using (var pipeline = new CreatePipeline(_store, _index.Chunks, options with { TempDirectory = work }, stats, cancellationToken))
                {
                    var reader = new SourceReader(_index.Files, known, pipeline, metadata, options.Chunker, stats, Warn) { Open = options.OpenSource };
                    var producer = Task.Factory.StartNew(
                        () =>
                        {
                            new ReadAhead(reader, Environment.ProcessorCount).Run(entries, hasFirst, walkRecord is null ? null : walkRecord.Add, cancellationToken);
                            walkRecord?.Complete();
                            if (stream is not null)
                            {
                                ReadStream(reader, stream, started, cancellationToken);
                            }
                        },
                        cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    try
                    {
                        await producer.ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        pipeline.Abort(ex);
                        throw;
                    }

                    await pipeline.CompleteAsync().ConfigureAwait(false);
                }

                _index.Files.EndLookups();

                metadata.Close();
                var missing = _index.Chunks.ExportLocations(metadata.DbPath, metadata.SidePath);
                if (missing != 0)
                {
                    throw new VaultikException($"cannot finish snapshot {id}: {missing} chunks have no stored location");
                }

                stats.Phase = CreatePhases.StoringMetadata;
                _observer.Phase("storing the snapshot metadata");
                _storeLock.EnsureHeld(_doing);
                var root = await MetadataStreamStore.StoreAsync(_store, _index.Chunks, known, options, work, metadata.DbPath, cancellationToken).ConfigureAwait(false);
                _storeLock.EnsureHeld(_doing);
                var upload = new MetadataUploader(_store, options.Recipients);
                manifest = await upload.StoreAsync(id.Value, root, work, new SnapshotDescription(options.Hostname, options.Name, options.CompressionLevel) { Tags = options.Tags }, started, metadata.FileCount, metadata.TotalSize, cancellationToken)
                    .ConfigureAwait(false);
                _index.Files.Import(metadata.SidePath);
                if (stream is null && warnings.Count == 0)
                {
                    // A complete walk: files under its roots that it did not see no longer exist (or are excluded now).
                    _index.Files.RemoveVanished(options.Paths, metadata.DbPath);
                }

                if (walkRecord is not null)
                {
                    previous?.Dispose();
                    _index.Walks.Import(options.Name, options.WalkSignature(), walkRecord.DbPath);
                }
            }

            stats.Duration = clock.Elapsed;
            stats.Phase = CreatePhases.Done;
            return new CreateResult(manifest, stats, warnings);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Runs the stream's producer and stores its output as one file. A read error or a failed command throws,
    /// so the snapshot gets no metadata and no manifest.
    /// </summary>
    private static void ReadStream(SourceReader reader, StreamInput input, DateTimeOffset started, CancellationToken cancellationToken)
    {
        using var open = input.Source.Open();
        try
        {
            reader.AddStream(StreamEntries.File(input, started), open.Content, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new VaultikException($"cannot read {input.Source.Description}: {ex.Message}", ex);
        }

        open.Complete();
    }

    private async Task<HashSet<Hash256>> ReconcileAsync(CancellationToken cancellationToken)
    {
        var stored = new Dictionary<Hash256, long>();
        await foreach (var info in _store.ListAsync(StoreLayout.BlobsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (StoreLayout.TryParseBlobKey(info.Key, out var hash))
            {
                stored[hash] = info.Size;
            }
        }

        _index.Chunks.Reconcile(stored);
        return _index.Chunks.LoadHashes();
    }

    private sealed class WalkObserver(Action<string, string> warn, Action<string, string> notice) : IWalkObserver
    {
        public void Skipped(string fullPath, string reason, bool isError)
        {
            if (isError)
            {
                warn(fullPath, reason);
            }
            else
            {
                notice(fullPath, reason);
            }
        }
    }
    /// <summary>
    /// A new snapshot id no directory in the store uses yet. Eight random hex digits make a clash rare; the
    /// check makes it harmless, and the create-only writes of metadata and manifest catch a clash that starts
    /// in between (the run then fails, overwriting nothing).
    /// </summary>
    private async Task<SnapshotId> FreshIdAsync(DateTimeOffset started, CreateOptions options, CancellationToken cancellationToken)
    {
        while (true)
        {
            var id = SnapshotId.Create(started, options.Hostname, options.Name);
            var taken = false;
            await foreach (var _ in _store.ListAsync($"{StoreLayout.MetadataPrefix}{id.Value}/", cancellationToken).ConfigureAwait(false))
            {
                taken = true;
                break;
            }

            if (!taken)
            {
                return id;
            }
        }
    }

}
