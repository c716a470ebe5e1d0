using Amazon.S3.Model;
using Vaultik.Core.Storage;

using Vaultik.Tests.Shared;

namespace Vaultik.Core.Tests.Storage;

/// <summary>The conformance suite against real S3 (a prefix inside a fresh bucket), plus S3-only error cases.</summary>
public sealed class S3ObjectStoreTests : ObjectStoreConformanceTests, IAsyncLifetime
{
    private readonly string _bucket = S3Fixture.NewBucketName();
    private S3ObjectStore? _store;

    protected override string? SkipReason => S3Fixture.SkipReason;

    protected override IObjectStore Store => _store!;

    /// <summary>The part count in the object's ETag as RGW reports it (<c>"md5-N"</c> for a multipart upload of N parts, no suffix for one PUT).</summary>
    protected override async Task<int?> StoredPartsAsync(string key)
    {
        using var client = S3Fixture.AdminClient();
        var head = await client.GetObjectMetadataAsync(_bucket, "some/prefix/" + key);
        var etag = head.ETag.Trim('"');
        var dash = etag.LastIndexOf('-');
        return dash < 0 ? 1 : int.Parse(etag[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task InitializeAsync()
    {
        if (S3Fixture.Endpoint is null)
        {
            return;
        }

        await S3Fixture.CreateBucketAsync(_bucket);
        _store = new S3ObjectStore(S3Fixture.Options(_bucket, "some/prefix"));
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            _store.Dispose();
            await S3Fixture.DeleteBucketAsync(_bucket);
        }
    }

    [SkippableFact]
    public async Task A_wrong_secret_is_access_denied_and_the_secret_is_never_printed()
    {
        Skip.If(SkipReason is not null, SkipReason);
        const string secret = "wrong-secret-value-0123456789abcdefghijkl";
        using var store = new S3ObjectStore(S3Fixture.Options(_bucket) with { SecretAccessKey = secret });
        var ex = await Assert.ThrowsAsync<StorageException>(() => store.PutAsync("x", new MemoryStream([1])));
        Assert.Contains("access denied", ex.Message);
        Assert.DoesNotContain(secret, ex.Message);
        Assert.DoesNotContain(secret, store.Location);
        Assert.False(ex.IsTransient);
    }

    [SkippableFact]
    public async Task A_missing_bucket_is_named()
    {
        Skip.If(SkipReason is not null, SkipReason);
        using var store = new S3ObjectStore(S3Fixture.Options("vaultik-no-such-bucket-here"));
        var ex = await Assert.ThrowsAsync<StorageException>(async () =>
        {
            await foreach (var _ in store.ListAsync("blobs/"))
            {
            }
        });
        Assert.Contains("bucket does not exist", ex.Message);
        Assert.Contains("vaultik-no-such-bucket-here", ex.Message);
    }

    [Fact]
    public async Task An_unreachable_endpoint_says_so()
    {
        using var store = new S3ObjectStore(S3Fixture.Defaults("bucket") with { Endpoint = "http://127.0.0.1:1", AccessKeyId = "a", SecretAccessKey = "b" });
        var ex = await Assert.ThrowsAsync<StorageException>(() => store.StatAsync("x"));
        Assert.StartsWith("cannot reach s3 endpoint http://127.0.0.1:1: connection refused", ex.Message);
        Assert.True(ex.IsTransient);
    }

    [SkippableFact]
    public async Task A_failed_multipart_upload_is_aborted()
    {
        Skip.If(SkipReason is not null, SkipReason);
        var failing = new FailingStream(20L << 20, failAt: 12L << 20);
        await Assert.ThrowsAnyAsync<Exception>(() => Store.PutAsync("broken", failing));
        using var client = S3Fixture.AdminClient();
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket });
        Assert.Empty(uploads.MultipartUploads ?? []);
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.StatAsync("broken"));
    }

    /// <summary>A seekable stream of zeros that throws partway through.</summary>
    private sealed class FailingStream(long length, long failAt) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAt)
            {
                throw new IOException("the source disk failed");
            }

            var n = (int)Math.Min(count, Math.Min(length, failAt) - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
