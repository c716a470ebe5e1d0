namespace Vaultik.Core.Config;

/// <summary>The config's <c>s3:</c> section; every field is optional.</summary>
public sealed record S3Section
{
    public string? Endpoint { get; init; }

    public string Region { get; init; } = "us-east-1";

    public bool? PathStyle { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    /// <summary><c>when_required</c> (default; needed by Ceph and older S3 clones) or <c>when_supported</c>.</summary>
    public string RequestChecksum { get; init; } = "when_required";

    public long MultipartThreshold { get; init; } = 64L << 20;

    public long PartSize { get; init; } = 16L << 20;

    /// <summary>How long one request may take before it is abandoned (and retried).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
