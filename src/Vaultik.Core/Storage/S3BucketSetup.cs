using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vaultik.Core.Storage;

/// <summary>
/// Bucket-level S3 calls, from the same <see cref="S3StoreOptions"/> as the store: creating the bucket with
/// Object Lock enabled (which turns versioning on for good) and reading back whether it exists, its versioning
/// status and its Object Lock configuration. Errors are one-line <see cref="StorageException"/>s.
/// </summary>
public sealed class S3BucketSetup : IDisposable
{
    private readonly S3StoreOptions _options;
    private readonly AmazonS3Client _client;

    public S3BucketSetup(S3StoreOptions options)
    {
        _options = options;
        _client = S3Clients.Create(options);
    }

    /// <summary>The bucket and endpoint, for messages.</summary>
    public string Location => $"s3://{_options.Bucket}" + (_options.Endpoint is null ? string.Empty : $" ({_options.Endpoint})");

    /// <summary>
    /// Creates the bucket with Object Lock enabled. Refuses (changing nothing) when it exists already, even when
    /// these credentials own it: S3 in us-east-1 and Ceph RGW answer a repeated create of an owned bucket with
    /// success, and Object Lock cannot be switched on for an existing bucket by creating it again.
    /// </summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        if (await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new StorageException($"cannot create bucket {Location}: it already exists (check it with `vaultik store check-bucket`)");
        }

        var request = new PutBucketRequest { BucketName = _options.Bucket, ObjectLockEnabledForBucket = true };
        if (_options.Endpoint is null && _options.Region != "us-east-1")
        {
            request.BucketRegionName = _options.Region;
        }

        await Call("create", () => _client.PutBucketAsync(request, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Whether the bucket exists, its versioning status and its Object Lock configuration.</summary>
    public async Task<BucketStatus> CheckAsync(CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return new BucketStatus(_options.Bucket, Exists: false, "Off", ObjectLockEnabled: false, null, null);
        }

        var versioning = await Call("read the versioning status of", () => _client.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = _options.Bucket }, cancellationToken)).ConfigureAwait(false);
        var status = versioning.VersioningConfig?.Status?.Value is { Length: > 0 } s ? s : "Off";
        ObjectLockConfiguration? lockConfig;
        try
        {
            var response = await _client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = _options.Bucket }, cancellationToken).ConfigureAwait(false);
            lockConfig = response.ObjectLockConfiguration;
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "ObjectLockConfigurationNotFoundError" || ex.StatusCode == HttpStatusCode.NotFound)
        {
            lockConfig = null;
        }
        catch (AmazonServiceException ex)
        {
            throw Describe("read the Object Lock configuration of", ex);
        }

        var enabled = lockConfig?.ObjectLockEnabled?.Value == "Enabled";
        var rule = lockConfig?.Rule?.DefaultRetention;
        string? period = rule switch
        {
            { Days: > 0 } => rule.Days.Value.ToString(CultureInfo.InvariantCulture) + "d",
            { Years: > 0 } => rule.Years.Value.ToString(CultureInfo.InvariantCulture) + "y",
            _ => null,
        };
        var mode = period is null ? null : rule?.Mode?.Value?.ToLowerInvariant();
        return new BucketStatus(_options.Bucket, Exists: true, status, enabled, mode, period);
    }

    private async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _options.Bucket }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (AmazonServiceException ex)
        {
            throw Describe("look up", ex);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
    }

    private async Task<T> Call<T>(string verb, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException ex)
        {
            throw Describe(verb, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
    }

    private StorageException Describe(string verb, AmazonServiceException ex)
    {
        if (ex.InnerException is HttpRequestException http)
        {
            return Unreachable(http);
        }

        var code = string.IsNullOrEmpty(ex.ErrorCode) ? ((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture) : ex.ErrorCode;
        var detail = code is "403" or "AccessDenied" ? "access denied: these credentials may not do this (see the role policies in docs/SECURITY.md)" : code + (string.IsNullOrEmpty(ex.Message) ? string.Empty : " " + ex.Message);
        return new StorageException($"cannot {verb} bucket {Location}: {detail.ReplaceLineEndings(" ")}", ex);
    }

    private StorageException Unreachable(HttpRequestException ex) =>
        new($"cannot reach s3 endpoint {_options.Endpoint ?? $"s3.{_options.Region}.amazonaws.com"}: {ex.Message.ReplaceLineEndings(" ")}", ex, isTransient: true);

    public void Dispose() => _client.Dispose();
}
