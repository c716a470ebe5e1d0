using ZstdSharp;

namespace Vaultik.Core.Packing;

/// <summary>
/// Guesses whether a chunk compresses, for <see cref="ChunkCompression.Auto"/>: compresses
/// <see cref="SampleCount"/> samples of <see cref="SampleBytes"/>, spread evenly from the chunk's first byte
/// to its last, each on its own at zstd level 1, and says yes when together they shrink by at least
/// 1/<see cref="MinSavingDivisor"/> of their raw frames (it stops at the first samples that already do). Spreading the samples means a chunk that is partly
/// compressible (half random, half zeros) is seen as compressible; the cost is a level-1 pass over at most
/// SampleCount × SampleBytes bytes per chunk (measured in src/Vaultik.Core/Packing/README.md).
/// One instance per thread.
/// </summary>
internal sealed class CompressibilityProbe : IDisposable
{
    public const int SampleBytes = 4 << 10;

    public const int SampleCount = 8;

    /// <summary>The samples must save at least 1/this of their raw frame bytes (1/32 ≈ 3.1%).</summary>
    public const int MinSavingDivisor = 32;

    private readonly Compressor _level1 = new(1);
    private readonly int _sampleBytes;
    private readonly int _sampleCount;
    private readonly int _minSavingDivisor;
    private readonly byte[] _scratch;

    public CompressibilityProbe()
        : this(SampleBytes, SampleCount, MinSavingDivisor)
    {
    }

    /// <summary>Other parameters, for the benchmark that chose the defaults (bench/Vaultik.Bench <c>probe-eval</c>).</summary>
    internal CompressibilityProbe(int sampleBytes, int sampleCount, int minSavingDivisor)
    {
        _sampleBytes = sampleBytes;
        _sampleCount = sampleCount;
        _minSavingDivisor = minSavingDivisor;
        _scratch = new byte[Compressor.GetCompressBound(sampleBytes)];
    }

    /// <summary>True when <paramref name="chunk"/> looks worth compressing; always true up to twice the sampled bytes.</summary>
    public bool LooksCompressible(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length <= 2 * _sampleBytes * _sampleCount)
        {
            return true;
        }

        // Yes once the samples so far save the share of all of them: the rest can hardly take it back
        // (a sample that does not compress comes out as long as its raw frame), so a compressible chunk
        // usually costs one sample.
        long raw = (long)RawFrame.Length(_sampleBytes) * _sampleCount;
        var needed = raw / _minSavingDivisor;
        long saved = 0;
        var stride = (long)(chunk.Length - _sampleBytes) / (_sampleCount - 1);
        for (var i = 0; i < _sampleCount && saved < needed; i++)
        {
            var sample = chunk.Slice((int)(i * stride), _sampleBytes);
            saved += RawFrame.Length(_sampleBytes) - _level1.Wrap(sample, _scratch);
        }

        return saved >= needed;
    }

    public void Dispose() => _level1.Dispose();
}
