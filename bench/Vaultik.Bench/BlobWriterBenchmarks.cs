using BenchmarkDotNet.Attributes;
using Vaultik.Age;
using Vaultik.Core.Packing;

namespace Vaultik.Bench;

/// <summary>The blob writer: 64 one-MiB frames (already compressed) encrypted and hashed into a temp file.</summary>
public class BlobWriterBenchmarks
{
    private readonly byte[] _data = BenchData.Random();
    private readonly X25519Identity _identity = X25519Identity.Generate();
    private readonly string _temp = Directory.CreateTempSubdirectory("vaultik-bench-").FullName;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_temp, recursive: true);

    [Benchmark]
    public long Pack64MiB()
    {
        using var writer = new BlobWriter(_temp, [_identity.Recipient], 1L << 30);
        for (var offset = 0; offset < _data.Length; offset += 1 << 20)
        {
            writer.Add(Vaultik.Core.Hash256.Compute(_data.AsSpan(offset, 32)), _data.AsSpan(offset, 1 << 20), 1 << 20);
        }

        var blob = writer.Seal();
        File.Delete(blob.TempPath);
        return blob.Size;
    }
}
