using Vaultik.Core.Metadata;
using Vaultik.Core.Packing;

namespace Vaultik.Core.Mount;

/// <summary>
/// One open regular file of a mounted snapshot: its chunk list laid out at byte offsets (one row per chunk,
/// held while the file is open), read at any offset through the shared <see cref="PlainChunkCache"/>. A miss fetches
/// the chunk and, when they follow it in the same blob, the next ones up to <see cref="ReadAhead"/> bytes (at most a quarter of the cache), in one
/// ranged read: a sequential read costs about one request per <see cref="ReadAhead"/> bytes.
/// </summary>
public sealed class MountFile
{
    /// <summary>Plaintext bytes fetched ahead of a cache miss, within one blob.</summary>
    public const int ReadAhead = 4 << 20;

    private readonly long[] _starts;
    private readonly PackedChunk[] _chunks;
    private readonly Hash256[] _blobs;
    private readonly long[] _blobSizes;

    private MountFile(string path, long size, long[] starts, PackedChunk[] chunks, Hash256[] blobs, long[] blobSizes)
    {
        Path = path;
        Size = size;
        _starts = starts;
        _chunks = chunks;
        _blobs = blobs;
        _blobSizes = blobSizes;
    }

    public string Path { get; }

    public long Size { get; }

    /// <summary>Lays out file <paramref name="contentId"/>'s chunks; an inconsistent chunk list is a <see cref="CorruptDataException"/>.</summary>
    public static MountFile Load(MetadataReader snapshot, string path, long contentId, long size)
    {
        var chunks = snapshot.FileChunks(contentId);
        var starts = new long[chunks.Count];
        var blobs = new Hash256[chunks.Count];
        long offset = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            if (chunks[i].Blob is not { } blob || !Hash256.TryParse(blob, out blobs[i]))
            {
                throw new CorruptDataException($"cannot read {path}: its chunk list in the metadata is inconsistent");
            }

            starts[i] = offset;
            offset += chunks[i].Chunk.PlainLength;
        }

        if (offset != size)
        {
            throw new CorruptDataException($"cannot read {path}: its chunks add up to {offset} bytes, not {size}");
        }

        return new MountFile(path, size, starts, chunks.Select(c => c.Chunk).ToArray(), blobs, chunks.Select(c => c.BlobSize).ToArray());
    }

    /// <summary>Copies up to <paramref name="buffer"/>'s length from <paramref name="offset"/>; returns the bytes copied (0 at or past the end).</summary>
    public int Read(Span<byte> buffer, long offset, PlainChunkCache cache, IMountSource source)
    {
        var copied = 0;
        while (copied < buffer.Length && offset < Size)
        {
            var i = ChunkAt(offset);
            if (!cache.TryGet(_chunks[i].Hash, out var data))
            {
                Download(i, cache, source);
                // Kept unless one chunk is larger than the whole cache: then read it again, uncached.
                data = cache.TryGet(_chunks[i].Hash, out var cached) ? cached : DownloadOne(i, source);
            }

            // The cache is keyed by hash and shared by every snapshot: a chunk another snapshot's (forged) rows gave
            // a different length must not be served short, which would never advance this loop.
            if (data.Length != _chunks[i].PlainLength)
            {
                throw new CorruptDataException($"cannot read {Path}: chunk {_chunks[i].Hash} is {data.Length} bytes, the file's rows say {_chunks[i].PlainLength}");
            }

            var within = (int)(offset - _starts[i]);
            var n = Math.Min(buffer.Length - copied, data.Length - within);
            data.Span.Slice(within, n).CopyTo(buffer[copied..]);
            copied += n;
            offset += n;
        }

        return copied;
    }

    /// <summary>The index of the chunk holding byte <paramref name="offset"/> (a zero-length chunk is never chosen).</summary>
    private int ChunkAt(long offset)
    {
        var i = Array.BinarySearch(_starts, offset);
        if (i < 0)
        {
            i = ~i - 1;
        }

        // Several chunks can start at one offset when some are empty: take the last, which holds the byte.
        while (i + 1 < _starts.Length && _starts[i + 1] == offset)
        {
            i++;
        }

        return i;
    }

    /// <summary>Puts chunk <paramref name="first"/> and the chunks after it in the same blob (read-ahead) in the cache.</summary>
    private void Download(int first, PlainChunkCache cache, IMountSource source)
    {
        var run = new List<PackedChunk> { _chunks[first] };
        long planned = _chunks[first].PlainLength;
        // Never more than a quarter of the cache ahead, or what was fetched would push out what is being read.
        var ahead = Math.Min(ReadAhead, cache.Capacity / 4);
        for (var j = first + 1; j < _chunks.Length && planned < ahead; j++)
        {
            if (_blobs[j] != _blobs[first] || _chunks[j].FrameOffset < run[^1].FrameEnd || cache.Contains(_chunks[j].Hash))
            {
                break;
            }

            run.Add(_chunks[j]);
            planned += _chunks[j].PlainLength;
        }

        source.ReadChunks(_blobs[first], _blobSizes[first], run, (chunk, data) => cache.Add(chunk.Hash, data.Span));
    }

    private ReadOnlyMemory<byte> DownloadOne(int index, IMountSource source)
    {
        byte[]? copy = null;
        source.ReadChunks(_blobs[index], _blobSizes[index], [_chunks[index]], (_, data) => copy = data.ToArray());
        return copy ?? throw new CorruptDataException($"cannot read {Path}: chunk {_chunks[index].Hash} was not delivered");
    }
}
