namespace Vaultik.Core.Chunking;

/// <summary>
/// FastCDC sizes. The defaults (Config/ConfigDefaults: 256 KiB / 1 MiB / 4 MiB, as restic's ~1 MiB average) keep the chunk count —
/// and so index and metadata size — low for large trees while still deduplicating edits within large files
/// to about one chunk; docs/BENCHMARKS.md records the dedup-versus-chunk-count measurement behind them.
/// </summary>
public sealed record ChunkerOptions(int MinSize, int AverageSize, int MaxSize, int NormalizationLevel = 1)
{
    public const int MinimumMinSize = 64;
    public const int MaximumMaxSize = 64 << 20;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent size.</summary>
    public void Validate()
    {
        if (MinSize < MinimumMinSize)
        {
            throw new ArgumentException($"chunk_min_size must be at least {MinimumMinSize} bytes");
        }

        if (AverageSize < MinSize)
        {
            throw new ArgumentException("chunk_avg_size must be at least chunk_min_size");
        }

        if (MaxSize < AverageSize)
        {
            throw new ArgumentException("chunk_max_size must be at least chunk_avg_size");
        }

        if (MaxSize > MaximumMaxSize)
        {
            throw new ArgumentException("chunk_max_size must be at most 64 MiB");
        }

        var bits = FastCdc.Bits(AverageSize);
        if (NormalizationLevel is < 0 or > 3 || bits - NormalizationLevel < 5 || bits + NormalizationLevel > 25)
        {
            throw new ArgumentException("chunk_avg_size and the normalization level give a mask outside the FastCDC table (use an average from 64 B to 16 MiB)");
        }
    }
}
