using System.Diagnostics;
using System.Globalization;
using Vaultik.Core.Packing;
using ZstdSharp;

namespace Vaultik.Bench;

/// <summary>
/// <c>probe-eval DIR</c>: cuts every file under DIR into 1 MiB pieces (about the average chunk), and prints the
/// bytes stored by <c>compression: max</c> (zstd level 3 on every piece) beside those stored by several
/// <see cref="CompressibilityProbe"/> parameter sets, with the share of pieces each stores raw and the probe's
/// one-core time. Sizes do not depend on a contended CPU; the times do.
/// </summary>
public static class ProbeEvaluation
{
    private const int Piece = 1 << 20;

    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length < 2)
        {
            output.WriteLine("usage: probe-eval DIR");
            return 2;
        }

        (int Bytes, int Count, int Divisor)[] sets = [(CompressibilityProbe.SampleBytes, CompressibilityProbe.SampleCount, CompressibilityProbe.MinSavingDivisor), (4096, 16, 32), (4096, 16, 64), (8192, 16, 64), (2048, 8, 32)];
        var probes = sets.Select(s => new CompressibilityProbe(s.Bytes, s.Count, s.Divisor)).ToArray();
        var stored = new long[sets.Length];
        var rawPieces = new long[sets.Length];
        var probeTime = new TimeSpan[sets.Length];
        using var level3 = new Compressor(3);
        var buffer = new byte[Piece];
        var frame = new byte[ChunkCodec.MaxFrameLength(Piece)];
        long plain = 0, max = 0, pieces = 0;
        var maxTime = TimeSpan.Zero;
        foreach (var path in Directory.EnumerateFiles(args[1], "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            using var file = File.OpenRead(path);
            int n;
            while ((n = file.ReadAtLeast(buffer, Piece, throwOnEndOfStream: false)) > 0)
            {
                var piece = buffer.AsSpan(0, n);
                var clock = Stopwatch.StartNew();
                var compressed = level3.Wrap(piece, frame);
                maxTime += clock.Elapsed;
                var raw = RawFrame.Length(n);
                plain += n;
                max += compressed;
                pieces++;
                for (var i = 0; i < sets.Length; i++)
                {
                    clock.Restart();
                    var yes = probes[i].LooksCompressible(piece);
                    probeTime[i] += clock.Elapsed;
                    stored[i] += yes ? Math.Min(compressed, raw) : raw;
                    if (i == 0 && !yes && compressed < raw * 0.97 && Environment.GetEnvironmentVariable("PROBE_EVAL_MISSES") is not null)
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"missed: {path} at {file.Position - n}: {n} bytes, level 3 {compressed}"));
                    }

                    rawPieces[i] += yes && compressed <= raw ? 0 : 1;
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plain {plain} bytes in {pieces} pieces; max (level 3) stores {max} ({100.0 * max / plain:0.0}%) in {maxTime.TotalSeconds:0.00} s"));
        output.WriteLine("| samples × bytes, min saving | stored | vs max | pieces raw | probe s |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        for (var i = 0; i < sets.Length; i++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {sets[i].Count} × {sets[i].Bytes}, 1/{sets[i].Divisor} | {stored[i]} | {(double)stored[i] / max:0.0000} | {100.0 * rawPieces[i] / pieces:0.0}% | {probeTime[i].TotalSeconds:0.00} |"));
            probes[i].Dispose();
        }

        return 0;
    }
}
