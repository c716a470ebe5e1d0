using Vaultik.Core;
using Vaultik.Core.Config;
using Vaultik.Core.Layout;
using Vaultik.Core.Storage;

namespace Vaultik.Cli;

/// <summary>
/// Composes the store a config names, outermost last: backend (<see cref="LocalDirectoryStore"/> or
/// <see cref="S3ObjectStore"/>) -> fault injection and crash hook when the testing variables ask for them
/// (<see cref="FaultHooks"/>) -> <see cref="ThrottledObjectStore"/> when a bandwidth limit is set
/// (<see cref="BandwidthLimits"/>) -> <see cref="RetryingObjectStore"/> (so a retried transfer is paced again). The mapping from the config's
/// <c>storage_url</c> and <c>s3:</c> section to the backend's options lives here, so Core's Storage knows
/// nothing about Config.
/// </summary>
internal static class StoreChain
{
    public static IObjectStore Open(VaultikConfig config, BandwidthLimits limits)
    {
        var store = FaultHooks.Wrap(Backend(config.StorageUrl, config.S3, config.UploadConcurrency));
        if (limits.Upload is not null || limits.Download is not null)
        {
            store = new ThrottledObjectStore(store, limits.Upload, limits.Download);
        }

        return new RetryingObjectStore(store, Retries);
    }

    /// <summary>The retries of every store call, and of each multipart part on its own.</summary>
    private static RetryPolicy Retries => new(ConfigDefaults.RetryMaxAttempts, ConfigDefaults.RetryInitialDelay, ConfigDefaults.RetryMaxDelay, ConfigDefaults.RetryMaxTotal);

    /// <summary>The bare backend for <c>file:///path</c> (or a plain absolute path) or <c>s3://bucket[/prefix]</c>.</summary>
    public static IObjectStore Backend(string storageUrl, S3Section s3, int concurrency)
    {
        if (storageUrl.StartsWith("file://", StringComparison.Ordinal))
        {
            return new LocalDirectoryStore(storageUrl["file://".Length..]);
        }

        if (storageUrl.StartsWith('/'))
        {
            return new LocalDirectoryStore(storageUrl);
        }

        if (storageUrl.StartsWith("s3://", StringComparison.Ordinal))
        {
            return new S3ObjectStore(S3Options(storageUrl, s3, concurrency));
        }

        throw new ConfigurationException($"cannot use storage_url '{storageUrl}': use file:///path or s3://bucket/prefix");
    }

    /// <summary>
    /// The S3 options of an <c>s3://</c> store, for bucket-level commands (<paramref name="verb"/> names the action in
    /// the usage error a <c>file://</c> store gets).
    /// </summary>
    public static S3StoreOptions S3OptionsOnly(VaultikConfig config, string verb) =>
        config.StorageUrl.StartsWith("s3://", StringComparison.Ordinal)
            ? S3Options(config.StorageUrl, config.S3, config.UploadConcurrency)
            : throw new ConfigurationException($"cannot {verb}: storage_url {config.StorageUrl} is not an s3:// store (buckets and Object Lock are S3 features)");

    /// <summary>
    /// <c>s3.object_lock</c> as the store's settings. Lock leases (<see cref="StoreLayout.LocksPrefix"/>) are exempt:
    /// the maintenance side must be able to delete expired ones.
    /// </summary>
    public static ObjectLockSettings? LockSettings(ObjectLockSection? section) => section is null
        ? null
        : new ObjectLockSettings(
            section.Mode == ObjectLockSection.Compliance ? ObjectLockMode.Compliance : ObjectLockMode.Governance,
            section.Retention,
            [StoreLayout.LocksPrefix]);

    /// <summary>Every field of <see cref="S3StoreOptions"/>, from the URL's bucket and prefix and the config's <c>s3:</c> section.</summary>
    public static S3StoreOptions S3Options(string storageUrl, S3Section section, int concurrency)
    {
        var rest = storageUrl["s3://".Length..].Trim('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length is < 3 or > 63)
        {
            throw new ConfigurationException($"cannot use storage_url '{storageUrl}': a bucket name has 3 to 63 characters");
        }

        return new S3StoreOptions
        {
            Bucket = bucket,
            Prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/'),
            Endpoint = section.Endpoint,
            Region = section.Region,
            PathStyle = section.PathStyle,
            AccessKeyId = section.AccessKeyId,
            SecretAccessKey = section.SecretAccessKey,
            RequestChecksum = section.RequestChecksum,
            Concurrency = concurrency,
            MultipartThreshold = section.MultipartThreshold,
            PartSize = section.PartSize,
            PartRetry = Retries,
            Timeout = section.Timeout,
            ObjectLock = LockSettings(section.ObjectLock),
        };
    }
}
