namespace Vaultik.Core.Config;

/// <summary>A loaded, validated configuration with every default applied and every path expanded.</summary>
public sealed record VaultikConfig
{
    public required IReadOnlyList<string> AgeRecipients { get; init; }

    public required string StorageUrl { get; init; }

    public required string IndexPath { get; init; }

    public required string Hostname { get; init; }

    public int CompressionLevel { get; init; } = ConfigDefaults.CompressionLevel;

    /// <summary><c>compression</c>: auto, max or off (README, "Configuration").</summary>
    public Packing.ChunkCompression Compression { get; init; } = ConfigDefaults.Compression;

    public long BlobSizeLimit { get; init; } = ConfigDefaults.BlobSizeLimit;

    public long ChunkMinSize { get; init; } = ConfigDefaults.ChunkMinSize;

    public long ChunkAvgSize { get; init; } = ConfigDefaults.ChunkAvgSize;

    public long ChunkMaxSize { get; init; } = ConfigDefaults.ChunkMaxSize;

    public bool OneFileSystem { get; init; } = ConfigDefaults.OneFileSystem;

    public int UploadConcurrency { get; init; } = ConfigDefaults.UploadConcurrency;

    /// <summary>Upload limit in KiB/s (<c>limit_upload</c>); 0 is unlimited.</summary>
    public int LimitUpload { get; init; }

    /// <summary>Download limit in KiB/s (<c>limit_download</c>); 0 is unlimited.</summary>
    public int LimitDownload { get; init; }

    public TimeSpan BackupInterval { get; init; } = ConfigDefaults.BackupInterval;

    public TimeSpan MinTimeBetweenRun { get; init; } = ConfigDefaults.MinTimeBetweenRun;

    public TimeSpan FullScanInterval { get; init; } = ConfigDefaults.FullScanInterval;

    public TimeSpan PruneGracePeriod { get; init; } = ConfigDefaults.PruneGracePeriod;

    /// <summary>The lifetime of each store lock lease (<c>lock_lifetime</c>).</summary>
    public TimeSpan LockLifetime { get; init; } = ConfigDefaults.LockLifetime;

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary><c>exclude_caches</c>, <c>exclude_if_present</c>, <c>exclude_larger_than</c> for every snapshot (a snapshot's own keys override).</summary>
    public ExcludeKeys Excludes { get; init; } = ExcludeKeys.None;

    /// <summary>How long one hook may run before it is killed (<c>hook_timeout</c>).</summary>
    public TimeSpan HookTimeout { get; init; } = ConfigDefaults.HookTimeout;

    /// <summary><c>metadata_cache</c>: how find and diff keep downloaded metadata (README, "Metadata cache").</summary>
    public MetadataCacheMode CacheMode { get; init; } = MetadataCacheMode.Encrypted;

    public IReadOnlyList<SnapshotConfig> Snapshots { get; init; } = [];

    public S3Section S3 { get; init; } = new();
}
