namespace Vaultik.Core.Config;

/// <summary>
/// The one place for the default of every config key (and of the store settings the config does not expose
/// yet). <see cref="ConfigLoader"/>, the record initializers, <see cref="ConfigWriter"/>'s reference block,
/// help texts and the CLI's store composition all read them here. Path defaults depend on the XDG
/// environment and are computed by <see cref="ConfigPaths"/>.
/// </summary>
public static class ConfigDefaults
{
    /// <summary>The name of a snapshot of paths given on the command line without --name.</summary>
    public const string AdHocSnapshotName = "adhoc";

    public const int CompressionLevel = 3;

    /// <summary><c>compression</c>: compress only what a probe says compresses.</summary>
    public const Packing.ChunkCompression Compression = Packing.ChunkCompression.Auto;

    public const long BlobSizeLimit = 1L << 30;

    public const long ChunkMinSize = 256L << 10;

    public const long ChunkAvgSize = 1L << 20;

    public const long ChunkMaxSize = 4L << 20;

    public const bool OneFileSystem = true;

    public const int UploadConcurrency = 4;

    public static TimeSpan BackupInterval { get; } = TimeSpan.FromHours(1);

    public static TimeSpan MinTimeBetweenRun { get; } = TimeSpan.FromMinutes(15);

    public static TimeSpan FullScanInterval { get; } = TimeSpan.FromHours(24);

    public static TimeSpan PruneGracePeriod { get; } = TimeSpan.FromHours(24);

    /// <summary>How long a store lock's lease lasts unless refreshed (refreshed every third of it); at most 1h (docs/FORMAT.md "Locks").</summary>
    public static TimeSpan LockLifetime { get; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a hook may run before it is killed and counts as failed.</summary>
    public static TimeSpan HookTimeout { get; } = TimeSpan.FromMinutes(5);

    public const string S3Region = "us-east-1";

    /// <summary><c>when_required</c> is needed by Ceph and older S3 clones.</summary>
    public const string S3RequestChecksum = "when_required";

    public const long S3MultipartThreshold = 64L << 20;

    public const long S3PartSize = 16L << 20;

    public static TimeSpan S3Timeout { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Store retries (not configurable yet): attempts, first and largest backoff, total time.</summary>
    /// <summary>Blobs a restore fetches at once unless --concurrency says otherwise, and the most it may ask for.</summary>
    public const int RestoreConcurrency = 4;

    public const int RestoreMaxConcurrency = 64;

    /// <summary>How long a daemon run waits for the index's run lock (a manual run may hold it).</summary>
    public static TimeSpan DaemonLockWait { get; } = TimeSpan.FromMinutes(10);

    public const int RetryMaxAttempts = 8;

    public static TimeSpan RetryInitialDelay { get; } = TimeSpan.FromMilliseconds(200);

    public static TimeSpan RetryMaxDelay { get; } = TimeSpan.FromSeconds(10);

    public static TimeSpan RetryMaxTotal { get; } = TimeSpan.FromMinutes(2);
}
