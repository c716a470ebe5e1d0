namespace Vaultik.Core.Config;

/// <summary>The config's <c>s3:</c> section; every field is optional.</summary>
public sealed record S3Section
{
    public string? Endpoint { get; init; }

    public string Region { get; init; } = ConfigDefaults.S3Region;

    public bool? PathStyle { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    /// <summary><c>when_required</c> (the default) or <c>when_supported</c>.</summary>
    public string RequestChecksum { get; init; } = ConfigDefaults.S3RequestChecksum;

    public long MultipartThreshold { get; init; } = ConfigDefaults.S3MultipartThreshold;

    public long PartSize { get; init; } = ConfigDefaults.S3PartSize;

    /// <summary>How long one request may take before it is abandoned (and retried).</summary>
    public TimeSpan Timeout { get; init; } = ConfigDefaults.S3Timeout;

    /// <summary><c>s3.object_lock</c>; null (the default) writes objects without retention.</summary>
    public ObjectLockSection? ObjectLock { get; init; }
}
