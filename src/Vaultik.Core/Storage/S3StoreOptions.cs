namespace Vaultik.Core.Storage;

/// <summary>
/// Everything <see cref="S3ObjectStore"/> needs. It holds no defaults: whoever builds it (the CLI's store
/// composition, from the config) fills every field. Secrets stay out of <see cref="ToString"/>.
/// </summary>
public sealed record S3StoreOptions
{
    public required string Bucket { get; init; }

    /// <summary>Key prefix inside the bucket, without leading or trailing '/'; empty for none.</summary>
    public required string Prefix { get; init; }

    /// <summary>Endpoint URL of an S3-compatible service; null means AWS.</summary>
    public string? Endpoint { get; init; }

    public required string Region { get; init; }

    /// <summary>Path-style addressing; null means true when an endpoint is given, false for AWS.</summary>
    public bool? PathStyle { get; init; }

    /// <summary>Null (with <see cref="SecretAccessKey"/>) means the SDK's credential chain (environment, profile).</summary>
    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    /// <summary><c>when_required</c> or <c>when_supported</c>.</summary>
    public required string RequestChecksum { get; init; }

    /// <summary>Multipart parts in flight at once.</summary>
    public required int Concurrency { get; init; }

    public required long MultipartThreshold { get; init; }

    public required long PartSize { get; init; }

    /// <summary>How often one multipart part is sent again after a transient failure (only that part, never the whole upload).</summary>
    public required RetryPolicy PartRetry { get; init; }

    /// <summary>How long one request may take before it is abandoned (a transient failure, retried).</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Object Lock retention put on every object written; null writes none.</summary>
    public ObjectLockSettings? ObjectLock { get; init; }

    public override string ToString() => $"s3://{Bucket}/{Prefix}" + (Endpoint is null ? string.Empty : $" at {Endpoint}");
}
