using Amazon.S3;
using Amazon.S3.Model;
using Vaultik.Core.Storage;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>A fresh S3 bucket with versioning enabled (where every overwrite leaves the earlier version behind); every version is removed afterwards.</summary>
public sealed class VersionedS3TestStore : TestStore
{
    private readonly string _bucket = S3Fixture.NewBucketName();
    private bool _created;

    public override string? SkipReason => S3Fixture.SkipReason;

    public override async Task<Sandbox> CreateSandboxAsync()
    {
        if (!_created)
        {
            using var client = S3Fixture.AdminClient();
            await client.PutBucketAsync(_bucket);
            _created = true;
            await client.PutBucketVersioningAsync(new PutBucketVersioningRequest
            {
                BucketName = _bucket,
                VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
            });
        }

        return await Sandbox.CreateAsync($"s3://{_bucket}/{Guid.NewGuid():N}", S3Fixture.Endpoint);
    }

    public override IObjectStore Open(Sandbox box) =>
        new S3ObjectStore(S3Fixture.Options(_bucket, box.StorageUrl[$"s3://{_bucket}/".Length..]));

    public override async ValueTask DisposeAsync()
    {
        if (!_created)
        {
            return;
        }

        using var client = S3Fixture.AdminClient();
        ListVersionsResponse page;
        var request = new ListVersionsRequest { BucketName = _bucket };
        do
        {
            page = await client.ListVersionsAsync(request);
            foreach (var version in page.Versions ?? [])
            {
                await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = version.Key, VersionId = version.VersionId });
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
        while (page.IsTruncated == true);

        await client.DeleteBucketAsync(_bucket);
    }
}
