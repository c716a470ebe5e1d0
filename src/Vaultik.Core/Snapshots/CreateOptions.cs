using Vaultik.Core.Chunking;
using Vaultik.Core.Crypto.Age;

namespace Vaultik.Core.Snapshots;

/// <summary>Everything one <c>snapshot create</c> run needs, already validated.</summary>
public sealed record CreateOptions(
    string Name,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string> Excludes,
    bool OneFileSystem,
    string Hostname,
    IReadOnlyList<IRecipient> Recipients,
    ChunkerOptions Chunker,
    int CompressionLevel,
    long BlobSizeLimit,
    int UploadConcurrency,
    string TempDirectory)
{
    /// <summary>Compression workers; the CPU-bound stage, one per core by default.</summary>
    public int CompressionWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount);
}
