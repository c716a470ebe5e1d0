using System.Buffers;
using Vaultik.Core.Crypto.Age;
using Vaultik.Core.Storage;
using Vaultik.Core.Layout;

namespace Vaultik.Core.Packing;

/// <summary>
/// Reads chunks out of one stored blob by decrypting only the age STREAM chunks that cover their frames
/// (ranged reads), then decompressing each frame and checking the chunk's SHA-256. Memory use is bounded by
/// one STREAM chunk plus the largest frame and chunk, whatever the blob size.
/// </summary>
public sealed class BlobReader
{
    /// <summary>Ranges closer than this are fetched in one read rather than two.</summary>
    public const long CoalesceGap = 1 << 20;

    private const int InitialHeaderRead = 4096;

    private readonly IObjectStore _store;
    private readonly string _key;
    private readonly AgePayloadReader _payload;
    private readonly long _payloadStart;
    private readonly long _payloadLength;

    private BlobReader(IObjectStore store, Hash256 hash, string key, AgePayloadReader payload, long payloadStart, long payloadLength)
    {
        _payloadLength = payloadLength;
        _store = store;
        Hash = hash;
        _key = key;
        _payload = payload;
        _payloadStart = payloadStart;
    }

    public Hash256 Hash { get; }

    /// <summary>Bytes fetched from the store so far (header and payload ranges).</summary>
    public long BytesFetched { get; private set; }

    /// <summary>Bytes fetched to read the header (part of <see cref="BytesFetched"/>).</summary>
    public long HeaderBytes { get; private init; }

    /// <summary>Reads the blob's age header (a small ranged read) and recovers its file key.</summary>
    public static async Task<BlobReader> OpenAsync(
        IObjectStore store, Hash256 hash, long blobSize, IReadOnlyList<IIdentity> identities, CancellationToken cancellationToken)
    {
        var key = StoreLayout.BlobKey(hash);
        var want = Math.Min(blobSize, InitialHeaderRead);
        while (true)
        {
            var head = new byte[want];
            await using (var stream = await store.GetAsync(key, new ByteRange(0, want), cancellationToken).ConfigureAwait(false))
            {
                await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
            }

            AgeHeader header;
            try
            {
                header = AgeHeader.Read(new MemoryStream(head, writable: false));
            }
            catch (AgeHeaderException) when (want < blobSize && want < (1 << 20))
            {
                want = Math.Min(blobSize, want * 4);
                continue;
            }
            catch (AgeHeaderException ex)
            {
                throw new CorruptDataException($"cannot read blob {hash}: {ex.Message}", ex);
            }
            catch (EndOfStreamException ex)
            {
                throw new CorruptDataException($"cannot read blob {hash}: header is truncated", ex);
            }

            if (header.Length + 16 > want)
            {
                if (header.Length + 16 > blobSize)
                {
                    throw new CorruptDataException($"cannot read blob {hash}: truncated after its header");
                }

                want = Math.Min(blobSize, header.Length + 16);
                continue;
            }

            byte[] fileKey;
            try
            {
                fileKey = header.UnwrapFileKey(identities);
            }
            catch (AgeNoIdentityMatchException ex)
            {
                throw new VaultikException($"cannot decrypt blob {hash}: {ex.Message}", ex);
            }
            catch (AgeHeaderException ex)
            {
                throw new CorruptDataException($"cannot read blob {hash}: {ex.Message}", ex);
            }

            var nonce = head.AsSpan((int)header.Length, 16);
            var payloadStart = header.Length + 16;
            var payload = new AgePayloadReader(fileKey, nonce, blobSize - payloadStart);
            return new BlobReader(store, hash, key, payload, payloadStart, blobSize - payloadStart) { BytesFetched = want, HeaderBytes = want };
        }
    }

    /// <summary>
    /// Extracts the given chunks (any order) and hands each verified plaintext to <paramref name="onChunk"/>,
    /// in frame order. The memory passed to the callback is only valid during the call.
    /// A corrupt chunk throws <see cref="CorruptDataException"/> naming the blob and the chunk.
    /// </summary>
    public async Task ReadChunksAsync(
        IEnumerable<PackedChunk> chunks, Func<PackedChunk, ReadOnlyMemory<byte>, ValueTask> onChunk, CancellationToken cancellationToken)
    {
        var ordered = chunks.DistinctBy(c => c.FrameOffset).OrderBy(c => c.FrameOffset).ToList();
        if (ordered.Count == 0)
        {
            return;
        }

        var maxFrame = ordered.Max(c => c.FrameLength);
        var maxPlain = ordered.Max(c => c.PlainLength);
        foreach (var c in ordered)
        {
            if (c.FrameOffset < 0 || c.FrameEnd > _payload.PlaintextLength || c.FrameLength <= 0 || c.PlainLength < 0)
            {
                throw new CorruptDataException($"cannot read chunk {c.Hash} from blob {Hash}: frame range {c.FrameOffset}+{c.FrameLength} lies outside the blob");
            }
        }

        var encrypted = ArrayPool<byte>.Shared.Rent(AgePayloadReader.EncryptedChunkSize);
        var plain = ArrayPool<byte>.Shared.Rent(AgePayloadReader.ChunkSize);
        var frame = ArrayPool<byte>.Shared.Rent(maxFrame);
        var chunk = ArrayPool<byte>.Shared.Rent(Math.Max(1, maxPlain));
        using var codec = new ChunkCodec(1);
        try
        {
            foreach (var run in Coalesce(ordered))
            {
                await ReadRunAsync(run, encrypted, plain, frame, chunk, codec, onChunk, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encrypted);
            ArrayPool<byte>.Shared.Return(plain);
            ArrayPool<byte>.Shared.Return(frame);
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private async Task ReadRunAsync(
        List<PackedChunk> run, byte[] encrypted, byte[] plain, byte[] frame, byte[] chunk, ChunkCodec codec,
        Func<PackedChunk, ReadOnlyMemory<byte>, ValueTask> onChunk, CancellationToken cancellationToken)
    {
        var (first, count) = AgePayloadReader.ChunksCovering(run[0].FrameOffset, run[^1].FrameEnd - run[0].FrameOffset);
        var start = _payloadStart + _payload.CiphertextOffsetOfChunk(first);
        var end = first + count >= _payload.ChunkCount
            ? _payloadStart + (_payload.CiphertextOffsetOfChunk(_payload.ChunkCount - 1) + LastChunkCiphertextLength())
            : _payloadStart + _payload.CiphertextOffsetOfChunk(first + count);
        BytesFetched += end - start;
        await using var stream = await _store.GetAsync(_key, new ByteRange(start, end - start), cancellationToken).ConfigureAwait(false);

        var next = 0;
        var filled = 0;
        for (var index = first; index < first + count && next < run.Count; index++)
        {
            var encLength = (int)Math.Min(AgePayloadReader.EncryptedChunkSize, end - (_payloadStart + _payload.CiphertextOffsetOfChunk(index)));
            try
            {
                await stream.ReadExactlyAsync(encrypted.AsMemory(0, encLength), cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException ex)
            {
                throw new CorruptDataException($"cannot read blob {Hash}: object is shorter than its recorded size", ex);
            }

            int plainLength;
            try
            {
                plainLength = _payload.DecryptChunk(index, encrypted.AsSpan(0, encLength), plain);
            }
            catch (AgePayloadException ex)
            {
                throw new CorruptDataException($"cannot decrypt blob {Hash}: {ex.Message}", ex);
            }

            var chunkStart = index * (long)AgePayloadReader.ChunkSize;
            var chunkEnd = chunkStart + plainLength;
            while (next < run.Count)
            {
                var c = run[next];
                var copyFrom = Math.Max(chunkStart, c.FrameOffset + filled);
                var copyTo = Math.Min(chunkEnd, c.FrameEnd);
                if (copyTo > copyFrom)
                {
                    plain.AsSpan((int)(copyFrom - chunkStart), (int)(copyTo - copyFrom)).CopyTo(frame.AsSpan(filled));
                    filled += (int)(copyTo - copyFrom);
                }

                if (filled < c.FrameLength)
                {
                    break;
                }

                var what = $"chunk {c.Hash} in blob {Hash}";
                codec.Decompress(frame.AsSpan(0, c.FrameLength), chunk.AsSpan(0, c.PlainLength), what);
                if (Hash256.Compute(chunk.AsSpan(0, c.PlainLength)) != c.Hash)
                {
                    throw new CorruptDataException($"cannot read {what}: SHA-256 mismatch");
                }

                await onChunk(c, chunk.AsMemory(0, c.PlainLength)).ConfigureAwait(false);
                next++;
                filled = 0;
            }
        }

        if (next < run.Count)
        {
            throw new CorruptDataException($"cannot read chunk {run[next].Hash} from blob {Hash}: blob ends before its frame");
        }
    }

    private long LastChunkCiphertextLength() =>
        _payloadLength - _payload.CiphertextOffsetOfChunk(_payload.ChunkCount - 1);

    private static IEnumerable<List<PackedChunk>> Coalesce(List<PackedChunk> ordered)
    {
        var run = new List<PackedChunk> { ordered[0] };
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].FrameOffset - run[^1].FrameEnd > CoalesceGap)
            {
                yield return run;
                run = [];
            }

            run.Add(ordered[i]);
        }

        yield return run;
    }
}
