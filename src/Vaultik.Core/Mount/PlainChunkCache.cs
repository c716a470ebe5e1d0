using Vaultik.Core.Packing;

namespace Vaultik.Core.Mount;

/// <summary>
/// Decompressed, verified chunks the mount has read, by chunk hash, least recently used evicted first once
/// their total passes <see cref="Capacity"/> bytes (the newest chunk is always kept, so the bound is the
/// capacity plus one chunk of at most <see cref="ChunkLimits.MaxPlainLength"/>). Not thread-safe.
/// </summary>
public sealed class PlainChunkCache
{
    /// <summary>The default bound: 64 MiB.</summary>
    public const long DefaultCapacity = 64L << 20;

    private readonly Dictionary<Hash256, LinkedListNode<(Hash256 Hash, byte[] Data)>> _index = [];
    private readonly LinkedList<(Hash256 Hash, byte[] Data)> _order = new();

    public PlainChunkCache(long capacity = DefaultCapacity) => Capacity = capacity;

    public long Capacity { get; }

    /// <summary>Bytes of chunk data held now.</summary>
    public long Size { get; private set; }

    public int Count => _index.Count;

    public byte[]? Get(Hash256 hash)
    {
        if (!_index.TryGetValue(hash, out var node))
        {
            return null;
        }

        _order.Remove(node);
        _order.AddFirst(node);
        return node.Value.Data;
    }

    public void Add(Hash256 hash, byte[] data)
    {
        if (_index.ContainsKey(hash))
        {
            return;
        }

        _index[hash] = _order.AddFirst((hash, data));
        Size += data.Length;
        while (Size > Capacity && _order.Count > 1)
        {
            var last = _order.Last!;
            _order.RemoveLast();
            _index.Remove(last.Value.Hash);
            Size -= last.Value.Data.Length;
        }
    }
}
