using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
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

        _client = options.AccessKeyId is { } accessKey && options.SecretAccessKey is { } secret
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, secret), config)
            : new AmazonS3Client(config);
    }

    public string Location => $"s3://{_options.Bucket}/{_options.Prefix}".TrimEnd('/') + (_options.Endpoint is null ? string.Empty : $" ({_options.Endpoint})");

    /// <summary>S3 has no way to take a local file in place: the file is streamed through <see cref="PutAsync"/>.</summary>
    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await PutAsync(key, content, createOnly: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task PutAsync(string key, Stream content, bool createOnly = false, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        var length = content.CanSeek ? content.Length - content.Position : -1;
        await Call("write", key, async () =>
        {
            if (length > _options.MultipartThreshold && !createOnly)
            {
                await MultipartPutAsync(key, content, length, cancellationToken).ConfigureAwait(false);
                return true;
            }

            var request = new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = _prefix + key,
                InputStream = content,
                AutoCloseStream = false,
                AutoResetStreamPosition = false,
            };
            if (createOnly)
            {
                request.IfNoneMatch = "*";
            }

            await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
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

    public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        return Call("stat", key, async () =>
        {
            var meta = await _client.GetObjectMetadataAsync(_options.Bucket, _prefix + key, cancellationToken).ConfigureAwait(false);
            return new ObjectInfo(key, meta.ContentLength, meta.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : DateTimeOffset.MinValue);
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

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        return Call("delete", key, async () =>
        {
            await _client.DeleteObjectAsync(_options.Bucket, _prefix + key, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public void Dispose() => _client.Dispose();
}
