using System.Buffers;

namespace Vaultik.Core.Restore;

/// <summary>
/// Decoded chunks on their way from a segment's reader to the window's writer: copied into one pooled buffer of at
/// least <see cref="MinBytes"/> (small chunks share it, so handing over costs one queue operation per batch, not per
/// chunk), each with the (file, offset) pairs it is written to. <see cref="Return"/> gives the buffer back.
/// </summary>
internal sealed class ChunkBatch
{
    public const int MinBytes = 1 << 20;

    private readonly List<(int Start, int Length, List<(long FileId, long Offset)> Targets)> _items = [];
    private byte[]? _buffer;
    private int _used;

    public ChunkBatch(int firstChunk) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(MinBytes, firstChunk));

    public int Count => _items.Count;

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
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
