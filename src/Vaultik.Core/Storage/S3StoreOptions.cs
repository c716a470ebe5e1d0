using Vaultik.Core.Config;

namespace Vaultik.Core.Storage;

/// <summary>Everything <see cref="S3ObjectStore"/> needs; secrets stay out of <see cref="ToString"/>.</summary>
public sealed record S3StoreOptions
{
    public required string Bucket { get; init; }

    public string Prefix { get; init; } = string.Empty;

    /// <summary>Endpoint URL of an S3-compatible service; null means AWS.</summary>
    public string? Endpoint { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>Path-style addressing; defaults to true when an endpoint is given.</summary>
    public bool? PathStyle { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    /// <summary><c>when_required</c> or <c>when_supported</c>.</summary>
    public string RequestChecksum { get; init; } = "when_required";

    public int Concurrency { get; init; } = 4;

    public long MultipartThreshold { get; init; } = 64L << 20;

    public long PartSize { get; init; } = 16L << 20;

    /// <summary>How long one request may take before it is abandoned (a transient failure, retried).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public static S3StoreOptions From(string storageUrl, S3Section section, int concurrency)
    {
        var rest = storageUrl["s3://".Length..].Trim('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length is < 3 or > 63)
        {
            throw new ConfigurationException($"cannot use storage_url '{storageUrl}': a bucket name has 3 to 63 characters");
        }

        return new S3StoreOptions
        {
            Bucket = bucket,
            Prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/'),
            Endpoint = section.Endpoint,
            Region = section.Region,
            PathStyle = section.PathStyle,
            AccessKeyId = section.AccessKeyId,
            SecretAccessKey = section.SecretAccessKey,
            RequestChecksum = section.RequestChecksum,
            Concurrency = concurrency,
            MultipartThreshold = section.MultipartThreshold,
            PartSize = section.PartSize,
            Timeout = section.Timeout,
        };
    }

    public override string ToString() => $"s3://{Bucket}/{Prefix}" + (Endpoint is null ? string.Empty : $" at {Endpoint}");
}
