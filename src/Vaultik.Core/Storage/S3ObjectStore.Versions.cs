using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vaultik.Core.Storage;

/// <summary>Versions, deletes of every version, and Object Lock retention.</summary>
public sealed partial class S3ObjectStore
{
    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? keyMarker = null, versionMarker = null;
        do
        {
            var request = new ListVersionsRequest { BucketName = _options.Bucket, Prefix = _prefix + prefix, KeyMarker = keyMarker, VersionIdMarker = versionMarker };
            var page = await Call("list versions of", prefix, () => _client.ListVersionsAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Versions ?? [])
            {
                var modified = item.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime()) : DateTimeOffset.MinValue;
                var id = string.IsNullOrEmpty(item.VersionId) ? null : item.VersionId; // "null" names an unversioned object's version
                yield return new ObjectVersion(item.Key[_prefix.Length..], id, item.Size ?? 0, modified, item.IsDeleteMarker == true);
            }

            (keyMarker, versionMarker) = page.IsTruncated == true ? (page.NextKeyMarker, page.NextVersionIdMarker) : (null, null);
        }
        while (keyMarker is not null);
    }

    /// <summary>
    /// Deletes every version of the key (newest first), so a versioned bucket frees the space and a plain one
    /// loses the object; a version still retained by Object Lock stops it with <see cref="ObjectRetainedException"/>.
    /// </summary>
    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        var versions = new List<string?>();
        await foreach (var version in ListVersionsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            if (version.Key == key)
            {
                versions.Add(version.VersionId);
            }
        }

        if (versions is [] or [null or "null"])
        {
            versions = [null];
        }

        foreach (var versionId in versions)
        {
            try
            {
                await Call("delete", key, async () =>
                {
                    await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = _prefix + key, VersionId = versionId }, cancellationToken).ConfigureAwait(false);
                    return true;
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException ex) when (ex.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } && versionId is not null)
            {
                if (await RetentionOfAsync(key, versionId, cancellationToken).ConfigureAwait(false) is { } until && until > DateTimeOffset.UtcNow)
                {
                    throw new ObjectRetainedException(key, until, ex);
                }

                throw;
            }
        }
    }

    /// <summary>The retain-until date of one version, or null when it has none (or it cannot be read).</summary>
    private async Task<DateTimeOffset?> RetentionOfAsync(string key, string versionId, CancellationToken cancellationToken)
    {
        try
        {
            var meta = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = _prefix + key, VersionId = versionId }, cancellationToken).ConfigureAwait(false);
            return meta.ObjectLockRetainUntilDate is { } u && u != default ? new DateTimeOffset(u.ToUniversalTime()) : null;
        }
        catch (AmazonS3Exception)
        {
            return null;
        }
    }

    public Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        if (_options.ObjectLock is null)
        {
            throw new StorageException($"cannot extend the retention of {key}: s3.object_lock is not configured for {Location}");
        }

        return Call("extend the retention of", key, async () =>
        {
            await _client.PutObjectRetentionAsync(new PutObjectRetentionRequest
            {
                BucketName = _options.Bucket,
                Key = _prefix + key,
                VersionId = versionId,
                Retention = new ObjectLockRetention { Mode = _options.ObjectLock.Mode == ObjectLockMode.Compliance ? ObjectLockRetentionMode.Compliance : ObjectLockRetentionMode.Governance, RetainUntilDate = until.UtcDateTime },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }
}
