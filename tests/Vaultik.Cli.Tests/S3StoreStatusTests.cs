using Amazon.S3;
using Amazon.S3.Model;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests;

/// <summary>
/// On the Ceph RGW, the monitoring machine is a user whose only rights are a bucket policy's get and list (as
/// docs/SECURITY.md's monitor role): no AWS_* environment, its keys in the config, and a put refused by the server.
/// </summary>
public sealed class S3StoreStatusTests : StoreStatusTests
{
    private readonly List<RgwUser> _users = [];

    protected override TestStore Store { get; } = new TestStore.S3();

    protected override async Task<CliRunner> MonitorAsync(Sandbox box, string config)
    {
        Skip.If(RgwAdmin.SkipReason is not null, RgwAdmin.SkipReason);
        var bucket = box.StorageUrl["s3://".Length..].Split('/')[0];
        var reader = await RgwAdmin.CreateUserAsync("monitor");
        _users.Add(reader);
        using (var owner = S3Fixture.AdminClient())
        {
            await owner.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = ReadOnlyPolicy(bucket, reader) });
        }

        using (var client = reader.Client())
        {
            var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "probe", ContentBody = "x" }));
            Assert.Equal("AccessDenied", denied.ErrorCode);
        }

        var cli = Machine(box, config + reader.S3Section());
        foreach (var name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE" })
        {
            cli.Environment[name] = null;
        }

        return cli;
    }

    protected override async Task CleanUpAsync()
    {
        foreach (var user in _users)
        {
            await RgwAdmin.RemoveUserAsync(user);
        }
    }

    private static string ReadOnlyPolicy(string bucket, RgwUser reader) => $$"""
        {
          "Version": "2012-10-17",
          "Statement": [
            { "Effect": "Allow", "Principal": { "AWS": ["arn:aws:iam:::user/{{reader.Uid}}"] }, "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": ["arn:aws:s3:::{{bucket}}/*"] },
            { "Effect": "Allow", "Principal": { "AWS": ["arn:aws:iam:::user/{{reader.Uid}}"] }, "Action": ["s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketVersioning"], "Resource": ["arn:aws:s3:::{{bucket}}"] }
          ]
        }
        """;
}
