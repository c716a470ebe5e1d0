using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Vaultik.Bench;

/// <summary>SHA-256 (platform, SHA-NI where present) of 64 MiB in 1 MiB chunks, as chunk hashing does.</summary>
public class Sha256Benchmarks
{
    private readonly byte[] _data = BenchData.Random();
    private readonly byte[] _digest = new byte[32];

    [Benchmark]
    public void Sha256Of64MiBIn1MiBChunks()
    {
        for (var offset = 0; offset < _data.Length; offset += 1 << 20)
        {
            SHA256.HashData(_data.AsSpan(offset, 1 << 20), _digest);
        }
    }
}
