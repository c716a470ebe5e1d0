using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using S3Range = Amazon.S3.Model.ByteRange;

namespace Vaultik.Core.Storage;

/// <summary>
/// Any S3-compatible store through AWSSDK.S3: single PUTs below the multipart threshold, parallel multipart
/// uploads above it (aborted on failure), ranged GETs, paged listings. The SDK's own retries are off;
/// <see cref="RetryingObjectStore"/> decides. Errors become one-line <see cref="StorageException"/>s that
/// name the key and S3 error code and never contain secrets.
/// </summary>
public sealed partial class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly S3StoreOptions _options;
    private readonly AmazonS3Client _client;
    private readonly string _prefix;

    public S3ObjectStore(S3StoreOptions options)
    {
        _options = options;
        _prefix = options.Prefix.Length == 0 ? string.Empty : options.Prefix.TrimEnd('/') + "/";
        _client = S3Clients.Create(options);
    }

    public string Location => $"s3://{_options.Bucket}/{_options.Prefix}".TrimEnd('/') + (_options.Endpoint is null ? string.Empty : $" ({_options.Endpoint})");

    /// <summary>S3 has no way to take a local file in place: the file is streamed through <see cref="PutAsync"/>.</summary>
    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await PutAsync(key, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Create-only: a HEAD first (servers such as Ceph RGW 16 ignore <c>If-None-Match</c> on PUT), then the PUT
    /// with <c>If-None-Match: *</c> for the servers that honour it. Every object is written with the canned ACL
    /// <c>bucket-owner-full-control</c> (so the bucket owner, the maintenance side, can read and delete what a
    /// separate backup user wrote) and, when configured, Object Lock retention.
    /// </summary>
    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        if (await ExistsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            throw new ObjectAlreadyExistsException(key);
        }

        var length = content.CanSeek ? content.Length - content.Position : -1;
        var retainUntil = RetainUntilFor(key);
        await Call("write", key, async () =>
        {
            if (length > (retainUntil is null ? _options.MultipartThreshold : SinglePutLimit))
            {
                await MultipartPutAsync(key, content, length, retainUntil, cancellationToken).ConfigureAwait(false);
                if (retainUntil is { } wanted)
                {
                    await EnsureRetentionAsync(key, wanted, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }

            var request = new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = _prefix + key,
                InputStream = content,
                AutoCloseStream = false,
                AutoResetStreamPosition = false,
                CannedACL = S3CannedACL.BucketOwnerFullControl,
                IfNoneMatch = "*",
            };
            if (retainUntil is { } until)
            {
                request.ObjectLockMode = LockMode;
                request.ObjectLockRetainUntilDate = until.UtcDateTime;
                request.MD5Digest = await Md5Async(content, length, cancellationToken).ConfigureAwait(false);
            }

            await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The largest single PUT S3 accepts. Objects under Object Lock are written with one PUT up to this size,
    /// whatever the multipart threshold: Ceph RGW 16 ignores the retention headers of a multipart upload (it
    /// applies only a bucket default rule to one), while a PUT carries them.
    /// </summary>
    private const long SinglePutLimit = 5L << 30;

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await StatAsync(key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ObjectNotFoundException)
        {
            return false;
        }
    }

    /// <summary>When Object Lock applies to <paramref name="key"/>, the retain-until date of an object written now.</summary>
    private DateTimeOffset? RetainUntilFor(string key) =>
        _options.ObjectLock is { } settings && settings.Applies(key) ? DateTimeOffset.UtcNow + settings.Retention : null;

    private Amazon.S3.ObjectLockMode LockMode =>
        _options.ObjectLock?.Mode == ObjectLockMode.Compliance ? Amazon.S3.ObjectLockMode.Compliance : Amazon.S3.ObjectLockMode.Governance;

    /// <summary>
    /// The base64 MD5 of the next <paramref name="length"/> bytes, the stream left where it was: S3 requires a
    /// Content-MD5 on writes that carry Object Lock retention.
    /// </summary>
    private static async Task<string> Md5Async(Stream content, long length, CancellationToken cancellationToken)
    {
        if (!content.CanSeek)
        {
            throw new StorageException("cannot write with Object Lock retention from a stream that cannot be read twice");
        }

        var origin = content.Position;
        using var md5 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.MD5);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            for (long left = length; left > 0;)
            {
                var n = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                md5.AppendData(buffer, 0, n);
                left -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        content.Position = origin;
        return Convert.ToBase64String(md5.GetHashAndReset());
    }

    public async Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        if (range is { Length: 0 })
        {
            await StatAsync(key, cancellationToken).ConfigureAwait(false);
            return new MemoryStream([], writable: false);
        }

        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = _prefix + key };
        if (range is { } r)
        {
            request.ByteRange = r.Length >= long.MaxValue / 2 ? new S3Range($"bytes={r.Offset}-") : new S3Range(r.Offset, r.End - 1);
        }

        try
        {
            var response = await Call("read", key, () => _client.GetObjectAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new ResponseStream(response);
        }
        catch (StorageException ex) when (ex.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.RequestedRangeNotSatisfiable })
        {
            return new MemoryStream([], writable: false);
        }
    }

    public async Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        var request = new GetObjectRequest { BucketName = _options.Bucket, Key = _prefix + key, VersionId = versionId };
        if (range is { Length: > 0 } r)
        {
            request.ByteRange = r.Length >= long.MaxValue / 2 ? new S3Range($"bytes={r.Offset}-") : new S3Range(r.Offset, r.End - 1);
        }

        var response = await Call("read", $"{key} (version {versionId})", () => _client.GetObjectAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new ResponseStream(response);
    }

    public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        return Call("stat", key, async () =>
        {
            var meta = await _client.GetObjectMetadataAsync(_options.Bucket, _prefix + key, cancellationToken).ConfigureAwait(false);
            DateTimeOffset? retain = meta.ObjectLockRetainUntilDate is { } u && u != default ? new DateTimeOffset(u.ToUniversalTime()) : null;
            return new ObjectInfo(key, meta.ContentLength, meta.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : DateTimeOffset.MinValue, retain);
        }, cancellationToken);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _prefix + prefix, ContinuationToken = token };
            var page = await Call("list", prefix, () => _client.ListObjectsV2Async(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                var modified = item.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : DateTimeOffset.MinValue;
                yield return new ObjectInfo(item.Key[_prefix.Length..], item.Size ?? 0, modified);
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public void Dispose() => _client.Dispose();
}
