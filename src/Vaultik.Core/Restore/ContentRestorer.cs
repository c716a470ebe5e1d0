using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Packing;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Restore;

/// <summary>
/// Restores file content: the planned blobs, cut into segments of about 32 MiB of frames, are read in
/// parallel with <see cref="BlobReader"/> (each only in the ranges that hold needed chunks) and every chunk is
/// written through the <see cref="FilesWriter"/> to each offset that needs it. A segment that cannot be read
/// fails the files it feeds; the others go on. A full target stops the restore (the error is thrown).
/// </summary>
internal sealed class ContentRestorer
{
    private const long SegmentBytes = 32L << 20;

    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IIdentity> _identities;

    public ContentRestorer(IObjectStore store, IReadOnlyList<IIdentity> identities)
    {
        _store = store;
        _identities = identities;
    }

    /// <summary>Writes the content of the laid-out files from <paramref name="blobs"/> (one window's, <see cref="RestorePlan.Blobs"/>); returns the ids of files left incomplete.</summary>
    public async Task<HashSet<long>> RestoreAsync(
        MetadataReader snapshot, IReadOnlyList<(Hash256 Hash, long Size)> blobs, FilesWriter writer, int concurrency, RestoreStats stats, RestoreErrors errors, CancellationToken cancellationToken)
    {
        var failed = new HashSet<long>();
        await Parallel.ForEachAsync(
            Segments(snapshot, blobs),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (segment, ct) =>
            {
                using var handles = writer.OpenHandles();
                try
                {
                    var reader = await BlobReader.OpenAsync(_store, segment.Blob, segment.BlobSize, _identities, ct).ConfigureAwait(false);
                    await reader.ReadChunksAsync(segment.Chunks, (chunk, data) =>
                    {
                        var allZero = data.Span.IndexOfAnyExcept((byte)0) < 0;
                        foreach (var (fileId, offset) in segment.Targets[chunk.FrameOffset].Targets)
                        {
                            if (!writer.IsCreated(fileId))
                            {
                                continue;
                            }

                            // Files are pre-sized, so a run of zeros can stay a hole.
                            if (!allZero)
                            {
                                handles.Write(fileId, data.Span, offset);
                            }

                            stats.Wrote(data.Length);
                        }

                        return ValueTask.CompletedTask;
                    }, ct).ConfigureAwait(false);
                    stats.Fetched(reader.BytesFetched, segment.Blob);
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
        return failed;
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
