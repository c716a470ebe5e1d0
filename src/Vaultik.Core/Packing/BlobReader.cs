using System.Buffers;
using Vaultik.Age;
using Vaultik.Core.Storage;
using Vaultik.Core.Layout;
using Vaultik.Core.Util;

namespace Vaultik.Core.Packing;

/// <summary>
/// Reads chunks out of one stored blob: asks <see cref="AgeRangeReader"/> for the plaintext ranges holding
/// their frames (it fetches only the age STREAM chunks that cover them, by ranged reads), then decompresses
/// each frame and checks the chunk's SHA-256. Memory use is bounded by one STREAM chunk plus the largest
/// frame and chunk, whatever the blob size.
/// </summary>
public sealed class BlobReader
{
    /// <summary>Ranges closer than this are fetched in one read rather than two.</summary>
    public const long CoalesceGap = 1 << 20;

    private readonly AgeRangeReader _age;

    private BlobReader(Hash256 hash, AgeRangeReader age)
    {
        Hash = hash;
        _age = age;
    }

    public Hash256 Hash { get; }

    /// <summary>Bytes fetched from the store so far (header and payload ranges).</summary>
    public long BytesFetched => _age.BytesFetched;

    /// <summary>Bytes fetched to read the header (part of <see cref="BytesFetched"/>).</summary>
    public long HeaderBytes => _age.HeaderBytes;

    /// <summary>Reads the blob's age header (a small ranged read) and recovers its file key.</summary>
    public static async Task<BlobReader> OpenAsync(
        IObjectStore store, Hash256 hash, long blobSize, IReadOnlyList<IIdentity> identities, CancellationToken cancellationToken)
    {
        var key = StoreLayout.BlobKey(hash);
        if (blobSize < 0)
        {
            throw new CorruptDataException($"cannot read blob {hash}: the metadata gives it a negative size ({blobSize})");
        }

        try
        {
            var age = await AgeRangeReader.OpenAsync(
                blobSize, identities, (offset, length, ct) => store.GetAsync(key, new ByteRange(offset, length), ct), cancellationToken).ConfigureAwait(false);
            return new BlobReader(hash, age);
        }
        catch (AgeNoIdentityMatchException ex)
        {
            throw new VaultikException($"cannot decrypt blob {hash}: {ex.Message}", ex);
        }
        catch (AgeHeaderException ex)
        {
            throw new CorruptDataException($"cannot read blob {hash}: {ex.Message}", ex);
        }
        catch (AgePayloadException ex)
        {
            // A blob size that is not a valid STREAM length: reported with age's own message, as it always was.
            throw new VaultikException(ex.Message, ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new CorruptDataException($"cannot read blob {hash}: the stored object is shorter than the {blobSize} bytes the metadata gives", ex);
        }
    }

    /// <summary>
    /// Extracts the given chunks (any order) and hands each verified plaintext to <paramref name="onChunk"/>,
    /// in frame order. The memory passed to the callback is only valid during the call.
    /// A corrupt chunk throws <see cref="CorruptDataException"/> naming the blob and the chunk.
    /// </summary>
    public async Task ReadChunksAsync(
        IEnumerable<PackedChunk> chunks, Func<PackedChunk, ReadOnlyMemory<byte>, ValueTask> onChunk, CancellationToken cancellationToken,
        PipelineBuffers? buffers = null)
    {
        var ordered = chunks.DistinctBy(c => c.FrameOffset).OrderBy(c => c.FrameOffset).ToList();
        if (ordered.Count == 0)
        {
            return;
        }

        foreach (var c in ordered)
        {
            if (!ChunkLimits.IsWithin(c, _age.PlaintextLength))
            {
                throw new CorruptDataException($"cannot read chunk {c.Hash} from blob {Hash}: frame range {c.FrameOffset}+{c.FrameLength} ({c.PlainLength} bytes) lies outside the blob or the chunk limits");
            }
        }

        // Both bounded by ChunkLimits, checked above.
        var maxFrame = ordered.Max(c => c.FrameLength);
        var maxPlain = ordered.Max(c => c.PlainLength);
        // A caller reading many segments at once (restore) passes its own fixed buffers: the shared pool's
        // per-thread caches miss when an async read resumes on another thread, and its misses are garbage.
        var frame = Rent(buffers, maxFrame);
        var chunk = Rent(buffers, Math.Max(1, maxPlain));
        using var codec = new ChunkCodec(1);
        try
        {
            foreach (var run in Coalesce(ordered))
            {
                await ReadRunAsync(run, frame, chunk, codec, onChunk, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            GiveBack(buffers, frame);
            GiveBack(buffers, chunk);
        }
    }

    private static byte[] Rent(PipelineBuffers? buffers, int length) =>
        buffers is not null && length <= buffers.Length ? buffers.Rent() : ArrayPool<byte>.Shared.Rent(length);

    private static void GiveBack(PipelineBuffers? buffers, byte[] buffer)
    {
        if (buffers is not null && buffer.Length == buffers.Length)
        {
            buffers.Return(buffer);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One ranged read for the plaintext from the run's first frame to its last; gaps are read and dropped.</summary>
    private async Task ReadRunAsync(
        List<PackedChunk> run, byte[] frame, byte[] chunk, ChunkCodec codec,
        Func<PackedChunk, ReadOnlyMemory<byte>, ValueTask> onChunk, CancellationToken cancellationToken)
    {
        var position = run[0].FrameOffset;
        var plain = await _age.OpenRangeAsync(position, run[^1].FrameEnd - position, cancellationToken).ConfigureAwait(false);
        await using (plain.ConfigureAwait(false))
        {
            foreach (var c in run)
            {
                for (var gap = c.FrameOffset - position; gap > 0;)
                {
                    var n = (int)Math.Min(gap, frame.Length);
                    await ReadPlainAsync(plain, frame.AsMemory(0, n), c, cancellationToken).ConfigureAwait(false);
                    gap -= n;
                }

                await ReadPlainAsync(plain, frame.AsMemory(0, c.FrameLength), c, cancellationToken).ConfigureAwait(false);
                position = c.FrameEnd;
                var what = $"chunk {c.Hash} in blob {Hash}";
                codec.Decompress(frame.AsSpan(0, c.FrameLength), chunk.AsSpan(0, c.PlainLength), what);
                if (Hash256.Compute(chunk.AsSpan(0, c.PlainLength)) != c.Hash)
                {
                    throw new CorruptDataException($"cannot read {what}: SHA-256 mismatch");
                }

                await onChunk(c, chunk.AsMemory(0, c.PlainLength)).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadPlainAsync(Stream plain, Memory<byte> into, PackedChunk c, CancellationToken cancellationToken)
    {
        while (!into.IsEmpty)
        {
            int n;
            try
            {
                n = await plain.ReadAsync(into, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException ex)
            {
                throw new CorruptDataException($"cannot read blob {Hash}: object is shorter than its recorded size", ex);
            }
            catch (AgePayloadException ex)
            {
                throw new CorruptDataException($"cannot decrypt blob {Hash}: {ex.Message}", ex);
            }

            if (n == 0)
            {
                throw new CorruptDataException($"cannot read chunk {c.Hash} from blob {Hash}: blob ends before its frame");
            }

            into = into[n..];
        }
    }

    private static IEnumerable<List<PackedChunk>> Coalesce(List<PackedChunk> ordered)
    {
        var run = new List<PackedChunk> { ordered[0] };
        for (var i = 1; i < ordered.Count; i++)
        {
            // Overlapping frames (only hostile metadata has them) start a new run, so each run reads forward.
            if (ordered[i].FrameOffset - run[^1].FrameEnd > CoalesceGap || ordered[i].FrameOffset < run[^1].FrameEnd)
            {
                yield return run;
                run = [];
            }

            run.Add(ordered[i]);
        }

        yield return run;
    }
}
