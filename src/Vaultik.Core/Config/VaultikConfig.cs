namespace Vaultik.Core.Config;

/// <summary>A loaded, validated configuration with every default applied and every path expanded.</summary>
public sealed record VaultikConfig
{
    public required IReadOnlyList<string> AgeRecipients { get; init; }

    public required string StorageUrl { get; init; }

    public required string IndexPath { get; init; }

    public required string Hostname { get; init; }

    public int CompressionLevel { get; init; } = 3;

    public long BlobSizeLimit { get; init; } = 1L << 30;

    public long ChunkMinSize { get; init; } = 256L << 10;

    public long ChunkAvgSize { get; init; } = 1L << 20;

    public long ChunkMaxSize { get; init; } = 4L << 20;

    public bool OneFileSystem { get; init; } = true;

    public int UploadConcurrency { get; init; } = 4;

    public TimeSpan BackupInterval { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan MinTimeBetweenRun { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan FullScanInterval { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan PruneGracePeriod { get; init; } = TimeSpan.FromHours(24);

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public IReadOnlyList<SnapshotConfig> Snapshots { get; init; } = [];

    public S3Section S3 { get; init; } = new();
}
