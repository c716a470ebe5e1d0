using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vaultik.Core.Storage;

public sealed partial class S3ObjectStore
{
    /// <summary>
    /// Uploads <paramref name="length"/> bytes as a multipart upload with up to Concurrency parts in flight.
    /// A file source is read by each part directly (no buffering); other streams are read into at most
    /// Concurrency part buffers. Any failure aborts the upload so no parts are left behind.
    /// </summary>
    private async Task MultipartPutAsync(string key, Stream content, long length, DateTimeOffset? retainUntil, CancellationToken cancellationToken)
    {
        var fullKey = _prefix + key;
        var partSize = Math.Max(_options.PartSize, (length + 9999) / 10000);
        var initiate = new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = fullKey, CannedACL = S3CannedACL.BucketOwnerFullControl };
        if (retainUntil is { } until)
        {
            initiate.ObjectLockMode = LockMode;
            initiate.ObjectLockRetainUntilDate = until.UtcDateTime;
        }

        var start = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false);
        var uploadId = start.UploadId;
        try
        {
            var origin = content.Position;
            var parts = (int)((length + partSize - 1) / partSize);
            var etags = new PartETag[parts];
            using var gate = new SemaphoreSlim(Math.Max(1, _options.Concurrency));
            var tasks = new List<Task>();
            var file = content as FileStream;
            for (var i = 0; i < parts; i++)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                var number = i + 1;
                var offset = origin + (i * partSize);
                var size = Math.Min(partSize, length - (i * partSize));
                byte[]? buffer = null;
                if (file is null)
                {
                    buffer = ArrayPool<byte>.Shared.Rent((int)size);
                    await content.ReadExactlyAsync(buffer.AsMemory(0, (int)size), cancellationToken).ConfigureAwait(false);
                }

                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        var request = new UploadPartRequest { BucketName = _options.Bucket, Key = fullKey, UploadId = uploadId, PartNumber = number, PartSize = size };
                        if (file is not null)
                        {
                            request.FilePath = file.Name;
                            request.FilePosition = offset;
                            if (retainUntil is not null)
                            {
                                await using var part = new FileStream(file.Name, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                                part.Position = offset;
                                request.MD5Digest = await Md5Async(part, size, cancellationToken).ConfigureAwait(false);
                            }
                        }
                        else
                        {
                            request.InputStream = new MemoryStream(buffer!, 0, (int)size, writable: false);
                            if (retainUntil is not null)
                            {
                                request.MD5Digest = await Md5Async(request.InputStream, size, cancellationToken).ConfigureAwait(false);
                            }
                        }

                        var response = await _client.UploadPartAsync(request, cancellationToken).ConfigureAwait(false);
                        etags[number - 1] = new PartETag(number, response.ETag);
                    }
                    finally
                    {
                        if (buffer is not null)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }

                        gate.Release();
                    }
                }, cancellationToken));
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _options.Bucket, Key = fullKey, UploadId = uploadId, PartETags = etags.ToList(), IfNoneMatch = "*" },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = fullKey, UploadId = uploadId }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Checks that a completed multipart upload carries its retention, and sets it when the server dropped it
    /// (Ceph RGW 16 ignores the Object Lock headers of CreateMultipartUpload). Setting it needs
    /// <c>s3:PutObjectRetention</c>; without that right the write fails with a line saying how to avoid it.
    /// </summary>
    private async Task EnsureRetentionAsync(string key, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var meta = await _client.GetObjectMetadataAsync(_options.Bucket, _prefix + key, cancellationToken).ConfigureAwait(false);
        if (meta.ObjectLockRetainUntilDate is { } u && u != default && new DateTimeOffset(u.ToUniversalTime()) >= until.AddSeconds(-1))
        {
            return;
        }

        try
        {
            await _client.PutObjectRetentionAsync(new PutObjectRetentionRequest
            {
                BucketName = _options.Bucket,
                Key = _prefix + key,
                VersionId = meta.VersionId,
                Retention = new ObjectLockRetention { Mode = _options.ObjectLock!.Mode == ObjectLockMode.Compliance ? ObjectLockRetentionMode.Compliance : ObjectLockRetentionMode.Governance, RetainUntilDate = until.UtcDateTime },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex)
        {
            throw new StorageException(
                $"cannot write {key} with Object Lock retention: the server ignored the retention of this multipart upload (over 5 GiB) and setting it afterwards failed ({ex.ErrorCode}); "
                + "keep blob_size_limit at 5GiB or less, or give the bucket a default retention rule", ex);
        }
    }
}
