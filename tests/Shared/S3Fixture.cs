using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Vaultik.Core.Config;
using Vaultik.Core.Storage;

namespace Vaultik.Tests.Shared;

/// <summary>
/// Connection to the S3 server named by S3_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (CI starts a
/// Ceph RADOS Gateway with tests/s3-test-server.sh; a developer can point the same variables at MinIO).
/// Each test gets a fresh bucket, removed afterwards.
/// </summary>
public static class S3Fixture
{
    public static string? Endpoint => Environment.GetEnvironmentVariable("S3_ENDPOINT") is { Length: > 0 } e ? e : null;

    public static string? SkipReason => Endpoint is null ? "S3_ENDPOINT is not set: run tests/s3-test-server.sh start (or point it at MinIO)" : null;

    public static string AccessKey => Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? string.Empty;

    public static string SecretKey => Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? string.Empty;

    public static AmazonS3Client AdminClient() => new(
        new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        });

    public static string NewBucketName() => $"vaultik-test-{Guid.NewGuid():N}"[..40];

    public static async Task CreateBucketAsync(string bucket)
    {
        using var client = AdminClient();
        await client.PutBucketAsync(bucket);
    }

    public static async Task DeleteBucketAsync(string bucket)
    {
        using var client = AdminClient();
        string? token = null;
        do
        {
            var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token });
            foreach (var item in page.S3Objects ?? [])
            {
                await client.DeleteObjectAsync(bucket, item.Key);
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        await client.DeleteBucketAsync(bucket);
    }

    /// <summary>Options for the test server, with small multipart sizes so multipart paths run on small data.</summary>
    public static S3StoreOptions Options(string bucket, string prefix = "") => Defaults(bucket, prefix) with
    {
        Endpoint = Endpoint,
        AccessKeyId = AccessKey,
        SecretAccessKey = SecretKey,
        MultipartThreshold = 8L << 20,
        PartSize = 5L << 20,
    };

    /// <summary>Every field filled the way the CLI fills it for a config that sets nothing in its s3 section.</summary>
    public static S3StoreOptions Defaults(string bucket, string prefix = "") => new()
    {
        Bucket = bucket,
        Prefix = prefix,
        Region = ConfigDefaults.S3Region,
        RequestChecksum = ConfigDefaults.S3RequestChecksum,
        Concurrency = ConfigDefaults.UploadConcurrency,
        MultipartThreshold = ConfigDefaults.S3MultipartThreshold,
        PartSize = ConfigDefaults.S3PartSize,
        PartRetry = new Vaultik.Core.Storage.RetryPolicy(ConfigDefaults.RetryMaxAttempts, ConfigDefaults.RetryInitialDelay, ConfigDefaults.RetryMaxDelay, ConfigDefaults.RetryMaxTotal),
        Timeout = ConfigDefaults.S3Timeout,
    };
}
