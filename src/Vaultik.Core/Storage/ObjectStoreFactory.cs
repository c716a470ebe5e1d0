using System.Globalization;
using Vaultik.Core.Config;

namespace Vaultik.Core.Storage;

/// <summary>
/// Builds the store for a storage URL — <c>file:///path</c> (or a plain absolute path) or
/// <c>s3://bucket[/prefix]</c> — wrapped in <see cref="RetryingObjectStore"/>. The testing hook
/// <c>VAULTIK_FAULT_RATE</c> (0..1, with optional <c>VAULTIK_FAULT_SEED</c>) puts a
/// <see cref="FaultInjectingObjectStore"/> inside the retry wrapper, and <c>VAULTIK_FAULT_CRASH_AFTER=N</c>
/// makes every store operation after the first N fail for good (a simulated crash at that point).
/// </summary>
public static class ObjectStoreFactory
{
    public static IObjectStore Create(string storageUrl, S3Section s3, int concurrency)
    {
        IObjectStore store;
        if (storageUrl.StartsWith("file://", StringComparison.Ordinal))
        {
            store = new LocalDirectoryStore(storageUrl["file://".Length..]);
        }
        else if (storageUrl.StartsWith('/'))
        {
            store = new LocalDirectoryStore(storageUrl);
        }
        else if (storageUrl.StartsWith("s3://", StringComparison.Ordinal))
        {
            store = new S3ObjectStore(S3StoreOptions.From(storageUrl, s3, concurrency));
        }
        else
        {
            throw new ConfigurationException($"cannot use storage_url '{storageUrl}': use file:///path or s3://bucket/prefix");
        }

        if (Environment.GetEnvironmentVariable("VAULTIK_FAULT_RATE") is { Length: > 0 } rateText)
        {
            if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
            {
                throw new ConfigurationException($"cannot use VAULTIK_FAULT_RATE '{rateText}': give a number from 0 to 1");
            }

            int? seed = int.TryParse(Environment.GetEnvironmentVariable("VAULTIK_FAULT_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
            store = new FaultInjectingObjectStore(store, new FaultOptions(rate, seed));
        }

        if (Environment.GetEnvironmentVariable("VAULTIK_FAULT_CRASH_AFTER") is { Length: > 0 } crashText)
        {
            if (!int.TryParse(crashText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var after) || after < 0)
            {
                throw new ConfigurationException($"cannot use VAULTIK_FAULT_CRASH_AFTER '{crashText}': give a whole number of operations");
            }

            store = new FaultInjectingObjectStore(store, new FaultOptions(0, FailAfterOperations: after));
        }

        return new RetryingObjectStore(store, RetryPolicy.Default);
    }
}
