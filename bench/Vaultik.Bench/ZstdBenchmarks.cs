using BenchmarkDotNet.Attributes;
using Vaultik.Core.Packing;

namespace Vaultik.Bench;

/// <summary>zstd compression of 64 MiB in 1 MiB chunks (one frame per chunk, as Vaultik stores them).</summary>
[MemoryDiagnoser]
public class ZstdBenchmarks
{
    private readonly byte[] _text = BenchData.Text();
    private readonly byte[] _random = BenchData.Random();
    private readonly byte[] _frame = new byte[ChunkCodec.MaxFrameLength(1 << 20)];
    private readonly byte[] _plain = new byte[1 << 20];
    private readonly List<byte[]> _textFrames = [];
    private ChunkCodec _level1 = null!;
    private ChunkCodec _level3 = null!;
    private ChunkCodec _auto3 = null!;
    private CompressibilityProbe _probe = null!;

    [GlobalSetup]
    public void Setup()
    {
        _level1 = new ChunkCodec(1);
        _level3 = new ChunkCodec(3);
        _auto3 = new ChunkCodec(3, ChunkCompression.Auto);
        _probe = new CompressibilityProbe();
        for (var offset = 0; offset < _text.Length; offset += 1 << 20)
        {
            var n = _level3.Compress(_text.AsSpan(offset, 1 << 20), _frame);
            _textFrames.Add(_frame.AsSpan(0, n).ToArray());
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _level1.Dispose();
        _level3.Dispose();
        _auto3.Dispose();
        _probe.Dispose();
    }

    [Benchmark]
    public int ProbeRandom() => Probe(_random);

    [Benchmark]
    public int ProbeText() => Probe(_text);

    [Benchmark]
    public long CompressRandomAuto() => Compress(_auto3, _random);

    [Benchmark]
    public long CompressTextAuto() => Compress(_auto3, _text);

    /// <summary>The auto decision alone on every 1 MiB piece; returns how many it would compress.</summary>
    private int Probe(byte[] data)
    {
        var yes = 0;
        for (var offset = 0; offset < data.Length; offset += 1 << 20)
        {
            yes += _probe.LooksCompressible(data.AsSpan(offset, 1 << 20)) ? 1 : 0;
        }

        return yes;
    }

    [Benchmark]
    public long CompressTextLevel1() => Compress(_level1, _text);

    [Benchmark]
    public long CompressTextLevel3() => Compress(_level3, _text);

    [Benchmark]
    public long CompressRandomLevel3() => Compress(_level3, _random);

    [Benchmark]
    public void DecompressTextLevel3()
    {
        foreach (var frame in _textFrames)
        {
            _level3.Decompress(frame, _plain, "bench");
        }
    }

    private long Compress(ChunkCodec codec, byte[] data)
    {
        long total = 0;
        for (var offset = 0; offset < data.Length; offset += 1 << 20)
        {
            total += codec.Compress(data.AsSpan(offset, 1 << 20), _frame);
        }

        return total;
    }
}
