using System.Collections.Concurrent;

namespace Vaultik.Core.Util;

/// <summary>
/// Batch buffers for a pipeline of bounded queues (the create pipeline's chunk batches, restore's decoded-chunk
/// batches): all of one length, at most <see cref="Capacity"/> of them kept, handed out first in, first out. An
/// <c>ArrayPool</c> rounds each request up to a power of two and keeps a bucket per size (and the shared one a
/// cache per thread, which a buffer rented on one thread and returned on another defeats), so over a long run
/// it slowly accumulated buffers of every size, garbage, and the pages of each that some larger chunk had
/// touched: peak RSS grew with the data passed through (docs/BENCHMARKS.md "Memory against file size"). Here
/// every buffer is written through once when it is created, so its pages are resident from the start, and the
/// set stops growing once it covers the pipeline's depth: peak RSS does not depend on how much data passes.
/// </summary>
public sealed class PipelineBuffers
{
    private readonly ConcurrentQueue<byte[]> _free = new();
    private int _created;

    /// <param name="length">Length of every buffer.</param>
    /// <param name="capacity">The most buffers the pipeline can hold at once (its channels bound that); more
    /// are never kept, so a miscounted depth costs garbage, not a deadlock.</param>
    public PipelineBuffers(int length, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Length = length;
        Capacity = capacity;
    }

    public int Length { get; }

    public int Capacity { get; }

    /// <summary>Buffers created so far (at most <see cref="Capacity"/> of them are kept).</summary>
    public int Created => Volatile.Read(ref _created);

    public byte[] Rent()
    {
        if (_free.TryDequeue(out var buffer))
        {
            return buffer;
        }

        Interlocked.Increment(ref _created);
        buffer = GC.AllocateUninitializedArray<byte>(Length);
        buffer.AsSpan().Fill(0);
        return buffer;
    }

    public void Return(byte[] buffer)
    {
        if (buffer.Length == Length && _free.Count < Capacity)
        {
            _free.Enqueue(buffer);
        }
    }
}
