using Vaultik.Core.Util;

namespace Vaultik.Core.Restore;

/// <summary>
/// Decoded chunks on their way from a segment's reader to the window's writer: copied into one buffer of the
/// restore's <see cref="PipelineBuffers"/> (small chunks share it, so handing over costs one queue operation per
/// batch, not per chunk; a chunk larger than those buffers gets one of its own), each with the (file, offset)
/// pairs it is written to. <see cref="Return"/> gives the buffer back.
/// </summary>
internal sealed class ChunkBatch
{
    /// <summary>Bytes after which a reader hands the batch to the writer.</summary>
    public const int SendBytes = 1 << 20;

    private readonly PipelineBuffers _buffers;
    private readonly List<(int Start, int Length, List<(long FileId, long Offset)> Targets)> _items = [];
    private byte[]? _buffer;
    private int _used;

    public ChunkBatch(PipelineBuffers buffers, int firstChunk)
    {
        _buffers = buffers;
        _buffer = firstChunk <= buffers.Length ? buffers.Rent() : new byte[firstChunk];
    }

    public int Count => _items.Count;

    /// <summary>Bytes of chunk data in the batch.</summary>
    public int Bytes => _used;

    /// <summary>Copies <paramref name="data"/> in; false when it does not fit (a batch always takes its first chunk).</summary>
    public bool TryAdd(ReadOnlySpan<byte> data, List<(long FileId, long Offset)> targets)
    {
        if (_used + data.Length > _buffer!.Length)
        {
            return false;
        }

        data.CopyTo(_buffer.AsSpan(_used));
        _items.Add((_used, data.Length, targets));
        _used += data.Length;
        return true;
    }

    /// <summary>The chunks in the order they were added.</summary>
    public IEnumerable<(ReadOnlyMemory<byte> Data, List<(long FileId, long Offset)> Targets)> Items() =>
        _items.Select(i => ((ReadOnlyMemory<byte>)_buffer.AsMemory(i.Start, i.Length), i.Targets));

    public void Return()
    {
        if (_buffer is not null)
        {
            _buffers.Return(_buffer);
            _buffer = null;
        }
    }
}
