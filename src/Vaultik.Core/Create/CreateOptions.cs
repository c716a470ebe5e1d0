using Vaultik.Core.Chunking;
using Vaultik.Core.Hooks;
using Vaultik.Core.Source;
using Vaultik.Age;
using Vaultik.Core.Streams;

namespace Vaultik.Core.Create;

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

    /// <summary>Which chunks are compressed at <see cref="CompressionLevel"/> (config key <c>compression</c>); the rest are stored as raw zstd blocks.</summary>
    public Packing.ChunkCompression Compression { get; init; } = Config.ConfigDefaults.Compression;

    /// <summary>The snapshot's tags, sorted and unique (<see cref="Metadata.SnapshotTags.Normalize"/>), stored in its manifest and metadata.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>How to walk the roots (the daemon records walks and walks incrementally).</summary>
    public WalkMode Walk { get; init; } = WalkMode.Full;

    /// <summary>For <see cref="WalkMode.Incremental"/>: the paths the file watcher marked, in ordinal order.</summary>
    public SortedSet<string>? DirtyPaths { get; init; }

    /// <summary>For a stream snapshot (<c>--stdin</c>, <c>--stdin-from-command</c>, a job's <c>command:</c>): the stream, stored as one file; <see cref="Paths"/> is then empty.</summary>
    public StreamInput? Stream { get; init; }

    /// <summary>The configured snapshot's hooks (none for an ad-hoc snapshot).</summary>
    public SnapshotHooks Hooks { get; init; } = SnapshotHooks.None;

    /// <summary>The exclude rules beyond glob patterns: CACHEDIR.TAG, marker files, a size limit.</summary>
    public ExcludeRules ExcludeRules { get; init; } = ExcludeRules.None;

    /// <summary>
    /// Opens a source file for reading (open(2) with O_NOFOLLOW by default); the CLI's testing hook
    /// <c>VAULTIK_FAULT_UNREADABLE</c> replaces it to make one path fail as unreadable.
    /// </summary>
    public Func<string, Microsoft.Win32.SafeHandles.SafeFileHandle> OpenSource { get; init; } = Platform.Posix.OpenForReading;

    /// <summary>What a recorded walk depends on: one is reused only by a run with the same roots and exclude rules.</summary>
    internal string WalkSignature() => string.Join('\n', [.. Paths, "--exclude", .. Excludes, OneFileSystem ? "--one-file-system" : "--cross-filesystems", .. ExcludeRules.Signature()]);
}
