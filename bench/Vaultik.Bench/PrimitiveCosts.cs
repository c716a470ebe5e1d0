using System.Diagnostics;
using System.Globalization;
using Vaultik.Age;
using Vaultik.Core.Config;

namespace Vaultik.Bench;

/// <summary>
/// `primitives DIR [--level N] [--warmup-mb N]`: the one-core cost of each primitive of a first backup over the
/// corpus's own bytes (issue 19, item 4), as a Markdown table with the sum and the ideal 2-core time.
/// A warm-up pass reads every file (so the measured pass reads from the page cache) and runs the primitives
/// over the first --warmup-mb MiB (default 64) so the JIT has optimised them; then one measured pass.
/// </summary>
public static class PrimitiveCosts
{
    public static int Run(string[] args, TextWriter output)
    {
        string? dir = null;
        var level = ConfigDefaults.CompressionLevel;
        long warmupMiB = 64;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] is "--level" or "--warmup-mb" && i + 1 < args.Length && long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                if (args[i] == "--level")
                {
                    level = (int)Math.Min(value, int.MaxValue);
                }
                else
                {
                    warmupMiB = value;
                }

                i++;
            }
            else if (dir is null && !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                dir = args[i];
            }
            else
            {
                Console.Error.WriteLine($"cannot measure primitives: unexpected argument '{args[i]}' (usage: primitives DIR [--level N] [--warmup-mb N])");
                return 2;
            }
        }

        if (dir is null || !Directory.Exists(dir))
        {
            Console.Error.WriteLine(dir is null ? "cannot measure primitives: no corpus directory given (usage: primitives DIR [--level N] [--warmup-mb N])" : $"cannot measure primitives: {dir} is not a directory");
            return 2;
        }

        if (level is < 1 or > 22)
        {
            Console.Error.WriteLine("cannot measure primitives: --level must be 1..22");
            return 2;
        }

        dir = Path.GetFullPath(dir);
        var recipient = X25519Identity.Generate().Recipient;
        var owned = new List<IDisposable>();
        try
        {
            var lines = CompressionLines.Create(level, owned);
            new CorpusPass(lines, recipient, warmupMiB << 20).Run(dir);
            var pass = new CorpusPass(lines, recipient);
            pass.Run(dir);
            Print(output, dir, level, lines, pass);
        }
        finally
        {
            CompressionLines.Dispose(owned);
        }

        return 0;
    }

    private static void Print(TextWriter output, string dir, int level, IReadOnlyList<CompressionLine> lines, CorpusPass pass)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"One-core cost of each primitive over {dir}: {pass.Files:N0} files in {pass.Entries:N0} entries, {pass.Bytes / 1e6:0.0} MB; {pass.Chunks:N0} chunks, {pass.UniqueChunks:N0} unique ({pass.UniqueBytes / 1e6:0.0} MB); zstd level {level}; one thread, files from the page cache."));
        output.WriteLine();
        output.WriteLine("| primitive (one core) | seconds | MB/s | over |");
        output.WriteLine("| --- | ---: | ---: | --- |");
        var sum = 0.0;
        void Row(string name, long ticks, long bytes, string over)
        {
            var seconds = (double)ticks / Stopwatch.Frequency;
            sum += seconds;
            var rate = seconds > 0 && bytes > 0 ? (bytes / 1e6 / seconds).ToString("0", inv) : "";
            output.WriteLine(string.Create(inv, $"| {name} | {seconds:0.000} | {rate} | {over} |"));
        }

        Row("walk + lstat (getdents64; statx before and after reading each file)", pass.WalkTicks, 0, string.Create(inv, $"{pass.Entries:N0} entries"));
        Row("open + read", pass.OpenReadTicks, pass.Bytes, string.Create(inv, $"{pass.Bytes / 1e6:0.0} MB"));
        Row("FastCDC (default 256 KiB / 1 MiB / 4 MiB)", pass.ChunkTicks, pass.Bytes, string.Create(inv, $"{pass.Bytes / 1e6:0.0} MB"));
        Row("SHA-256 of the chunks", pass.HashTicks, pass.Bytes, string.Create(inv, $"{pass.Bytes / 1e6:0.0} MB"));
        for (var i = 0; i < lines.Count; i++)
        {
            var before = sum;
            Row(lines[i].Label, pass.CompressTicks[i], pass.UniqueBytes, string.Create(inv, $"{pass.UniqueBytes / 1e6:0.0} MB of unique chunks -> {pass.CompressedBytes[i] / 1e6:0.0} MB ({(pass.UniqueBytes > 0 ? (double)pass.CompressedBytes[i] / pass.UniqueBytes : 0):0.000})"));
            if (i > 0)
            {
                sum = before; // further lines are alternatives to the first, not added to the sum
            }
        }

        Row("age encryption (X25519, of the first zstd line's frames)", pass.AgeTicks, pass.CompressedBytes.Length > 0 ? pass.CompressedBytes[0] : 0, string.Create(inv, $"{(pass.CompressedBytes.Length > 0 ? pass.CompressedBytes[0] : 0) / 1e6:0.0} MB"));
        output.WriteLine(string.Create(inv, $"| **sum (one core)** | **{sum:0.000}** | {(sum > 0 ? pass.Bytes / 1e6 / sum : 0):0} | |"));
        output.WriteLine(string.Create(inv, $"| **ideal 2-core time (sum / 2: the stages pipeline across two cores)** | **{sum / 2:0.000}** | {(sum > 0 ? pass.Bytes / 1e6 / (sum / 2) : 0):0} | |"));
    }
}
