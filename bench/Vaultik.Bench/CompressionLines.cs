using System.Globalization;
using Vaultik.Core.Packing;

namespace Vaultik.Bench;

/// <summary>Compresses one chunk into <paramref name="frame"/> (at least ChunkCodec.MaxFrameLength long) and returns the frame length.</summary>
public delegate int CompressChunk(ReadOnlySpan<byte> chunk, Span<byte> frame);

/// <summary>One measured compression line of the primitives table: its label and how it compresses a chunk.</summary>
public sealed record CompressionLine(string Label, CompressChunk Compress);

/// <summary>
/// The zstd lines of `primitives`. Each line is timed over every unique chunk of the corpus, on one thread; the
/// FIRST line's frames are the ones the age line encrypts (what a backup at that setting stores).
/// </summary>
public static class CompressionLines
{
    /// <summary>
    /// ===== The place to add a compression line. =====
    /// Today: the project's <see cref="ChunkCodec"/> at the chosen level (what `compression_level` does now).
    /// To add "zstd as `compression: auto` would do", append a line whose delegate calls the codec the way the
    /// create pipeline does in that mode (e.g. a ChunkCodec built for auto, with its per-chunk probe), such as
    /// <c>new CompressionLine("zstd as `compression: auto` would do", (chunk, frame) =&gt; auto.Compress(chunk, frame))</c>,
    /// and dispose its codec in <see cref="Dispose"/>'s list. Lines after the first do not change the age line.
    /// </summary>
    public static IReadOnlyList<CompressionLine> Create(int level, List<IDisposable> owned)
    {
        var codec = new ChunkCodec(level);
        owned.Add(codec);
        return
        [
            new CompressionLine(string.Create(CultureInfo.InvariantCulture, $"zstd level {level} (ChunkCodec)"), (chunk, frame) => codec.Compress(chunk, frame)),
        ];
    }

    public static void Dispose(List<IDisposable> owned)
    {
        foreach (var item in owned)
        {
            item.Dispose();
        }
    }
}
