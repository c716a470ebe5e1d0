using BenchmarkDotNet.Attributes;
using Vaultik.Core.Chunking;
using Vaultik.Core.Config;

namespace Vaultik.Bench;

/// <summary>FastCDC over 64 MiB of random data with the default sizes (cut-point search only).</summary>
[MemoryDiagnoser]
public class ChunkerBenchmarks
{
    private static readonly ChunkerOptions Defaults = new((int)ConfigDefaults.ChunkMinSize, (int)ConfigDefaults.ChunkAvgSize, (int)ConfigDefaults.ChunkMaxSize);

    private readonly byte[] _data = BenchData.Random();

    [Benchmark]
    public int FastCdc64MiB()
    {
        var chunks = 0;
        for (var offset = 0; offset < _data.Length; chunks++)
        {
            offset += FastCdc.FindCutPoint(_data.AsSpan(offset), Defaults, out _);
        }

        return chunks;
    }
}
