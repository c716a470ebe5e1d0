using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Vaultik.Core.Storage;

/// <summary>The one way an <see cref="AmazonS3Client"/> is built from <see cref="S3StoreOptions"/> (the store and the bucket set-up share it).</summary>
internal static class S3Clients
{
    /// <summary>A client with the SDK's own retries off (<see cref="RetryingObjectStore"/> decides).</summary>
    public static AmazonS3Client Create(S3StoreOptions options)
    {
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = options.RequestChecksum == "when_supported"
                ? RequestChecksumCalculation.WHEN_SUPPORTED
                : RequestChecksumCalculation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
            Timeout = options.Timeout,
            AuthenticationRegion = options.Region,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = options.PathStyle ?? true;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            config.ForcePathStyle = options.PathStyle ?? false;
        }

        return options.AccessKeyId is { } accessKey && options.SecretAccessKey is { } secret
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, secret), config)
            : new AmazonS3Client(config);
    }
}
