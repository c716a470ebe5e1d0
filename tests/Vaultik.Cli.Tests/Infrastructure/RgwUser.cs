using Amazon.Runtime;
using Amazon.S3;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>One Ceph RGW user made by <see cref="RgwAdmin.CreateUserAsync"/>: its uid (the NAME of <c>arn:aws:iam:::user/NAME</c>) and keys.</summary>
public sealed record RgwUser(string Uid, string AccessKey, string SecretKey)
{
    /// <summary>An S3 client with this user's credentials, as an attacker holding them would use it.</summary>
    public AmazonS3Client Client() => new(
        new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config
        {
            ServiceURL = S3Fixture.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        });

    /// <summary>The config's <c>s3:</c> section for this user (endpoint, keys, and what follows).</summary>
    public string S3Section(string extra = "") =>
        $"s3:\n  endpoint: {S3Fixture.Endpoint}\n  access_key_id: {AccessKey}\n  secret_access_key: {SecretKey}\n  request_checksum: when_required\n{extra}";
}
