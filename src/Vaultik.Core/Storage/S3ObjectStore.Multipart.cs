using System.Buffers;
using System.Runtime.ExceptionServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vaultik.Core.Storage;

public sealed partial class S3ObjectStore
{
    /// <summary>
    /// Uploads <paramref name="length"/> bytes as a multipart upload with up to Concurrency parts in flight.
    /// A file source is read by each part directly (no buffering); other streams are read into at most
    /// Concurrency part buffers. A part that fails transiently is sent again on its own (PartRetry), never the
    /// whole upload. On any failure no further part is started, the parts in flight are awaited, and only then
    /// is the upload aborted, so no parts are left behind.
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
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(Math.Max(1, _options.Concurrency));
        var tasks = new List<Task>();
        try
        {
            var origin = content.Position;
            var parts = (int)((length + partSize - 1) / partSize);
            var etags = new PartETag[parts];
            var file = content as FileStream;
            for (var i = 0; i < parts && !stop.IsCancellationRequested; i++)
            {
                await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                var part = new PartSource(i + 1, origin + (i * partSize), Math.Min(partSize, length - (i * partSize)), file?.Name);
                byte[]? buffer = null;
                try
                {
                    if (file is null)
                    {
                        buffer = ArrayPool<byte>.Shared.Rent((int)part.Size);
                        await content.ReadExactlyAsync(buffer.AsMemory(0, (int)part.Size), stop.Token).ConfigureAwait(false);
                    }
                }
                catch
                {
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }

                    gate.Release();
                    throw;
                }

                tasks.Add(UploadPartAsync(key, uploadId, part, buffer, retainUntil is not null, etags, gate, stop, cancellationToken));
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
            // The caller cancelled between parts: some were never sent, so there is nothing to complete.
            stop.Token.ThrowIfCancellationRequested();
            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _options.Bucket, Key = fullKey, UploadId = uploadId, PartETags = etags.ToList(), IfNoneMatch = "*" },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // Stop starting parts, let the ones in flight end (their own errors are this one's consequences),
            // then abort: an abort while parts still upload could leave those parts behind.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
            string? leftOpen = null;
            try
            {
                await _client.AbortMultipartUploadAsync(
                    new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = fullKey, UploadId = uploadId }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception abortError) when (abortError is AmazonServiceException or HttpRequestException or IOException or TaskCanceledException)
            {
                // The upload's own error is what the caller must see (and retry on); an upload left open is no
                // visible object, only parts a later abort or the bucket's lifecycle rule reclaims: named in it.
                leftOpen = $" (multipart upload {uploadId} left open: the abort failed too: {abortError.Message})";
            }

            // The loop saw only the stop a failed part set off: report that part's error, not the stop.
            var cause = !cancellationToken.IsCancellationRequested ? tasks.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException : null;
            if (leftOpen is not null && (cause ?? error) is StorageException failed)
            {
                throw new StorageException(failed.Message + leftOpen, failed, failed.IsTransient);
            }

            if (cause is not null)
            {
                ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }
    }

    /// <summary>One part: its number, where it starts in the source, its size, and the file it is read from (null: a buffer).</summary>
    private sealed record PartSource(int Number, long Offset, long Size, string? File);

    /// <summary>
    /// Sends one part, again on its own after a transient failure (PartRetry); the first failure that stays stops the upload.
    /// A send runs on the caller's token, not on <paramref name="stop"/>: another part's failure lets a send in flight get
    /// its answer (cancelling it would leave the server possibly still writing that part when the abort arrives); it only
    /// prevents this part's next attempt.
    /// </summary>
    private async Task UploadPartAsync(string key, string uploadId, PartSource part, byte[]? buffer, bool md5, PartETag[] etags, SemaphoreSlim gate, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var etag = await Call("write", $"{key} (part {part.Number})", () => SendPartAsync(_prefix + key, uploadId, part, buffer, md5, cancellationToken), cancellationToken).ConfigureAwait(false);
                    etags[part.Number - 1] = new PartETag(part.Number, etag);
                    return;
                }
                catch (Exception ex) when ((ex is StorageException { IsTransient: true } or IOException) && attempt < _options.PartRetry.MaxAttempts && !stop.IsCancellationRequested)
                {
                    await Task.Delay(_options.PartRetry.DelayAfter(attempt), stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            gate.Release();
        }
    }

    private async Task<string> SendPartAsync(string fullKey, string uploadId, PartSource part, byte[]? buffer, bool md5, CancellationToken cancellationToken)
    {
        var request = new UploadPartRequest { BucketName = _options.Bucket, Key = fullKey, UploadId = uploadId, PartNumber = part.Number, PartSize = part.Size };
        if (part.File is { } path)
        {
            request.FilePath = path;
            request.FilePosition = part.Offset;
            if (md5)
            {
                await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                source.Position = part.Offset;
                request.MD5Digest = await Md5Async(source, part.Size, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            request.InputStream = new MemoryStream(buffer!, 0, (int)part.Size, writable: false);
            if (md5)
            {
                request.MD5Digest = await Md5Async(request.InputStream, part.Size, cancellationToken).ConfigureAwait(false);
            }
        }

        var response = await _client.UploadPartAsync(request, cancellationToken).ConfigureAwait(false);
        return response.ETag;
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
