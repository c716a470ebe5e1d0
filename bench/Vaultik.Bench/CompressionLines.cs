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
    /// The project's <see cref="ChunkCodec"/> at the chosen level, first as the default `compression: auto` does it
    /// (the per-chunk probe, raw frames for what does not compress: what a backup stores, so the age line encrypts
    /// these frames), then as `compression: max` (every chunk through zstd), for comparison.
    /// </summary>
    public static IReadOnlyList<CompressionLine> Create(int level, List<IDisposable> owned)
    {
        var auto = new ChunkCodec(level, ChunkCompression.Auto);
        var max = new ChunkCodec(level, ChunkCompression.Max);
        owned.Add(auto);
        owned.Add(max);
        return
        [
            new CompressionLine(string.Create(CultureInfo.InvariantCulture, $"zstd, `compression: auto` (default), level {level}"), (chunk, frame) => auto.Compress(chunk, frame)),
            new CompressionLine(string.Create(CultureInfo.InvariantCulture, $"zstd, `compression: max`, level {level}"), (chunk, frame) => max.Compress(chunk, frame)),
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
