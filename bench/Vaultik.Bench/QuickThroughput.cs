using System.Diagnostics;
using System.Globalization;

namespace Vaultik.Bench;

/// <summary>Best-of-5 MB/s of each benchmark body, for a quick look without BenchmarkDotNet's full runs.</summary>
public static class QuickThroughput
{
    public static void Run(TextWriter output)
    {
        var chunker = new ChunkerBenchmarks();
        var sha = new Sha256Benchmarks();
        var zstd = new ZstdBenchmarks();
        zstd.Setup();
        var age = new AgeBenchmarks();
        age.Setup();
        var blob = new BlobWriterBenchmarks();
        (string Name, Action Body)[] cases =
        [
            ("FastCDC cut points (random data)", () => chunker.FastCdc64MiB()),
            ("SHA-256, 1 MiB pieces", sha.Sha256Of64MiBIn1MiBChunks),
            ("zstd level 1 compress, text", () => zstd.CompressTextLevel1()),
            ("zstd level 3 compress, text", () => zstd.CompressTextLevel3()),
            ("zstd level 3 compress, random", () => zstd.CompressRandomLevel3()),
            ("compression auto probe alone, random (MB/s of chunk data judged)", () => zstd.ProbeRandom()),
            ("compression auto probe alone, text (MB/s of chunk data judged)", () => zstd.ProbeText()),
            ("compression auto at level 3, random (probe + raw frame)", () => zstd.CompressRandomAuto()),
            ("compression auto at level 3, text (probe + level 3)", () => zstd.CompressTextAuto()),
            ("zstd decompress, text", zstd.DecompressTextLevel3),
            ("age encrypt", age.Encrypt64MiB),
            ("age decrypt", age.Decrypt64MiB),
            ("blob writer (encrypt+hash+write)", () => blob.Pack64MiB()),
        ];
        output.WriteLine("| operation (64 MiB input) | MB/s (best of 5) |");
        output.WriteLine("| --- | ---: |");
        foreach (var (name, body) in cases)
        {
            body();
            var best = double.MaxValue;
            for (var i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                body();
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {BenchData.Size / 1e6 / best:0} |"));
        }

        zstd.Cleanup();
        blob.Cleanup();
    }
}
