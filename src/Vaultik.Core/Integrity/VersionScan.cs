using Vaultik.Core.Storage;

namespace Vaultik.Core.Integrity;

/// <summary>
/// Finds the keys under a prefix that hold more than one version, from one paged version listing. Only those
/// keys are kept in memory (every other key has its single, first version), so a scan of millions of blobs
/// costs a listing, not memory.
/// </summary>
public static class VersionScan
{
    public static async Task<IReadOnlyDictionary<string, KeyHistory>> ScanAsync(IObjectStore store, string prefix, CancellationToken cancellationToken)
    {
        var tampered = new Dictionary<string, KeyHistory>(StringComparer.Ordinal);
        string? key = null;
        ObjectVersion oldest = default;
        int versions = 0, markers = 0;
        var latestIsMarker = false;

        void Flush()
        {
            if (key is not null && (versions > 1 || markers > 0))
            {
                tampered[key] = new KeyHistory(key, oldest, versions, markers, latestIsMarker);
            }
        }

        await foreach (var version in store.ListVersionsAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(version.Key, key, StringComparison.Ordinal))
            {
                Flush();
                key = version.Key;
                versions = markers = 0;
                latestIsMarker = version.IsDeleteMarker;
            }

            // Newest first within a key: the last content version seen is the first one written.
            if (version.IsDeleteMarker)
            {
                markers++;
            }
            else
            {
                versions++;
                oldest = version;
            }
        }

        Flush();
        return tampered;
    }
}
