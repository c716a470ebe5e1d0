using Vaultik.Core.Packing;

namespace Vaultik.Core.Mount;

/// <summary>
/// Decompressed, verified chunks the mount has read, by chunk hash, least recently used evicted first once
/// their buffers pass <see cref="Capacity"/> bytes (the newest chunk is always kept, so the bound is the
/// capacity plus one chunk of at most <see cref="ChunkLimits.MaxPlainLength"/>). Evicted buffers are reused for
/// the next chunks (a few are kept aside), so a long sequential read allocates no new memory once the cache is
/// full: without that the garbage collector let a 300 MB read grow the process to several times the bound.
/// A span handed out is valid until the next <see cref="Add"/>. Not thread-safe.
/// </summary>
public sealed class PlainChunkCache
{
    /// <summary>The default bound: 64 MiB.</summary>
    public const long DefaultCapacity = 64L << 20;

    /// <summary>Buffers of large chunks are allocated in multiples of this, so one freed by a chunk fits most others.</summary>
    private const int Granule = 256 << 10;

    private const int MaxSpare = 8;

    private readonly Dictionary<Hash256, LinkedListNode<Entry>> _index = [];
    private readonly LinkedList<Entry> _order = new();
    private readonly List<byte[]> _spare = [];

    public PlainChunkCache(long capacity = DefaultCapacity) => Capacity = capacity;

    public long Capacity { get; }

    /// <summary>Bytes of buffers holding cached chunks now.</summary>
    public long Size { get; private set; }

    public int Count => _index.Count;

    public bool TryGet(Hash256 hash, out ReadOnlyMemory<byte> data)
    {
        if (!_index.TryGetValue(hash, out var node))
        {
            data = default;
            return false;
        }

        _order.Remove(node);
        _order.AddFirst(node);
        data = node.Value.Buffer.AsMemory(0, node.Value.Length);
        return true;
    }

    public bool Contains(Hash256 hash) => _index.ContainsKey(hash);

    /// <summary>Keeps a copy of <paramref name="data"/>, evicting the least recently used past the bound.</summary>
    public void Add(Hash256 hash, ReadOnlySpan<byte> data)
    {
        if (_index.ContainsKey(hash))
        {
            return;
        }

        var buffer = Rent(data.Length);
        data.CopyTo(buffer);
        _index[hash] = _order.AddFirst(new Entry(hash, buffer, data.Length));
        Size += buffer.Length;
        while (Size > Capacity && _order.Count > 1)
        {
            var last = _order.Last!.Value;
            _order.RemoveLast();
            _index.Remove(last.Hash);
            Size -= last.Buffer.Length;
            if (_spare.Count < MaxSpare)
            {
                _spare.Add(last.Buffer);
            }
        }
    }

    private byte[] Rent(int length)
    {
        for (var i = 0; i < _spare.Count; i++)
        {
            if (_spare[i].Length >= length && _spare[i].Length - length < Granule * 4)
            {
                var found = _spare[i];
                _spare.RemoveAt(i);
                return found;
            }
        }

        return new byte[length < Granule ? length : (length + Granule - 1) / Granule * Granule];
    }

    private readonly record struct Entry(Hash256 Hash, byte[] Buffer, int Length);
}
