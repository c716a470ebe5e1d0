using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Packing;
using Vaultik.Core.Storage;
using Vaultik.Core.Util;

namespace Vaultik.Core.Restore;

/// <summary>
/// Restores file content: the planned blobs, cut into segments of about 32 MiB of frames, are read, decrypted,
/// decompressed and hash-checked in parallel with <see cref="BlobReader"/> (each only in the ranges that hold needed
/// chunks), while one writer task writes the chunks through the <see cref="FilesWriter"/> to each offset that needs
/// them: so even a window of small files from one segment keeps two cores busy, one decoding, one in the file
/// system. Chunks go from the readers to the writer in batches (<see cref="ChunkBatch"/>) through a queue of at
/// most <see cref="QueuedBatches"/>, which bounds the memory. A segment that cannot be read fails the files it
/// feeds; the others go on. A full target stops the restore (the error is thrown).
/// </summary>
internal sealed class ContentRestorer
{
    private const long SegmentBytes = 32L << 20;
    private const int QueuedBatches = 4;

    /// <summary>Length of the batch buffers: the default chunker's largest chunk, so every chunk of a default store fits one.</summary>
    private const int BatchBytes = 4 << 20;

    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IIdentity> _identities;
    private PipelineBuffers? _buffers;
    private PipelineBuffers? _segmentBuffers;

    public ContentRestorer(IObjectStore store, IReadOnlyList<IIdentity> identities)
    {
        _store = store;
        _identities = identities;
    }

    /// <summary>Writes the content of the window's files from <paramref name="blobs"/> (<see cref="RestorePlan.Blobs"/>); returns the ids of files left incomplete by a segment that failed.</summary>
    public async Task<HashSet<long>> RestoreAsync(
        MetadataReader snapshot, IReadOnlyList<(Hash256 Hash, long Size)> blobs, FilesWriter writer, int concurrency, RestoreStats stats, RestoreErrors errors, CancellationToken cancellationToken)
    {
        var failed = new HashSet<long>();
        // Kept across windows: the queue, each reader's filling batch and the one it is queueing, and the writer's.
        var buffers = _buffers ??= new PipelineBuffers(BatchBytes, QueuedBatches + (2 * Math.Max(1, concurrency)) + 1);
        // Each reader's frame and plaintext buffers (BlobReader.ReadChunksAsync).
        var segmentBuffers = _segmentBuffers ??= new PipelineBuffers(ChunkCodec.MaxFrameLength(BatchBytes), 2 * Math.Max(1, concurrency));
        var queue = Channel.CreateBounded<ChunkBatch>(new BoundedChannelOptions(QueuedBatches) { SingleReader = true });
        var writing = Task.Run(() => WriteAllAsync(queue, writer, stats, errors), CancellationToken.None);
        Exception? reading = null;
        try
        {
            await Parallel.ForEachAsync(
                Segments(snapshot, blobs),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
                async (segment, ct) =>
                {
                    try
                    {
                        await ReadSegmentAsync(segment, buffers, segmentBuffers, queue.Writer, stats, ct).ConfigureAwait(false);
                    }
                    catch (Exception ex) when ((ex is VaultikException or IOException or UnauthorizedAccessException) && !Platform.DiskFull.Is(ex))
                    {
                        var affected = segment.AffectedFiles();
                        lock (failed)
                        {
                            failed.UnionWith(affected);
                        }

                        var reason = ex is ObjectNotFoundException ? $"blob {segment.Blob} is missing from the store" : ex.Message;
                        errors.Add($"cannot restore {affected.Count} file(s) that need blob {segment.Blob}: {reason}");
                    }
                }).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Kept until the writer is done: what it throws (a full disk) is the error to report.
            reading = ex;
        }
        finally
        {
            queue.Writer.TryComplete();
        }

        await writing.ConfigureAwait(false);
        if (reading is not null)
        {
            ExceptionDispatchInfo.Capture(reading).Throw();
        }

        return failed;
    }

    /// <summary>Reads one segment's chunks and queues them, in batches, for the writer.</summary>
    private async Task ReadSegmentAsync(BlobSegment segment, PipelineBuffers buffers, PipelineBuffers segmentBuffers, ChannelWriter<ChunkBatch> queue, RestoreStats stats, CancellationToken ct)
    {
        ChunkBatch? batch = null;
        try
        {
            var reader = await BlobReader.OpenAsync(_store, segment.Blob, segment.BlobSize, _identities, ct).ConfigureAwait(false);
            await reader.ReadChunksAsync(segment.Chunks, async (chunk, data) =>
            {
                var targets = segment.Targets[chunk.FrameOffset].Targets;
                batch ??= new ChunkBatch(buffers, data.Length);
                if (!batch.TryAdd(data.Span, targets))
                {
                    var full = batch;
                    batch = new ChunkBatch(buffers, data.Length);
                    batch.TryAdd(data.Span, targets);
                    await queue.WriteAsync(full, ct).ConfigureAwait(false);
                }

                // Handed over once it holds a mebibyte, not when its buffer is full: the writer (and the progress
                // it reports) is never more than that behind the reader.
                if (batch.Bytes >= ChunkBatch.SendBytes)
                {
                    var ready = batch;
                    batch = null;
                    await queue.WriteAsync(ready, ct).ConfigureAwait(false);
                }
            }, ct, segmentBuffers).ConfigureAwait(false);
            if (batch is { Count: > 0 })
            {
                await queue.WriteAsync(batch, ct).ConfigureAwait(false);
            }

            batch = null;
            stats.Fetched(reader.BytesFetched, segment.Blob);
        }
        finally
        {
            batch?.Return();
        }
    }

    /// <summary>
    /// The window's one writer: every queued chunk to every file offset that needs it. A file that cannot be
    /// created or written is reported and failed; a full disk stops the readers too (the queue is closed).
    /// </summary>
    private static async Task WriteAllAsync(Channel<ChunkBatch> queue, FilesWriter writer, RestoreStats stats, RestoreErrors errors)
    {
        try
        {
            await foreach (var batch in queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    foreach (var (data, targets) in batch.Items())
                    {
                        foreach (var (fileId, offset) in targets)
                        {
                            if (!writer.Wants(fileId))
                            {
                                continue;
                            }

                            if (!errors.Attempt(writer.EntryPath(fileId), () => writer.Write(fileId, data.Span, offset)))
                            {
                                writer.Fail(fileId);
                            }

                            stats.Wrote(data.Length);
                        }
                    }
                }
                finally
                {
                    batch.Return();
                }
            }
        }
        catch
        {
            queue.Writer.TryComplete();
            throw;
        }
    }

    /// <summary>
    /// The work items, produced lazily in store order, so one large blob is still read by several workers at
    /// once and memory holds only the segments in flight.
    /// </summary>
    private static IEnumerable<BlobSegment> Segments(MetadataReader snapshot, IReadOnlyList<(Hash256 Hash, long Size)> blobs)
    {
        foreach (var blob in blobs)
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
                    yield return new BlobSegment(blob.Hash, blob.Size, segment, targets, first);
                    segment = [];
                    frameBytes = 0;
                    first = false;
                }
            }

            if (segment.Count > 0)
            {
                yield return new BlobSegment(blob.Hash, blob.Size, segment, targets, first);
            }
        }
    }
}
