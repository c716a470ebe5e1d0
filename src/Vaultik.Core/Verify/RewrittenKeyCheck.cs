using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Vaultik.Core.Integrity;
using Vaultik.Core.Layout;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Verify;

/// <summary>
/// Reports each key written more than once (<see cref="VersionScan"/>; Vaultik writes each key once, so this is
/// tampering) as a problem, and checks that a rewritten blob's first version, the one readers use, still hashes
/// to its name.
/// </summary>
internal static class RewrittenKeyCheck
{
    /// <summary>
    /// One problem per key of <paramref name="tampered"/>; <paramref name="store"/> reads the first version of each
    /// (a <see cref="FirstWrittenView"/>); <paramref name="neededBy"/> names the snapshots that need a blob.
    /// </summary>
    public static async Task RunAsync(
        IObjectStore store, IReadOnlyList<KeyHistory> tampered, Func<string, IReadOnlyList<string>> neededBy,
        ConcurrentBag<VerifyProblem> problems, CancellationToken cancellationToken)
    {
        foreach (var history in tampered)
        {
            var what = string.Create(CultureInfo.InvariantCulture,
                $"written {history.Versions} times{(history.DeleteMarkers > 0 ? $" and deleted {history.DeleteMarkers} times" : string.Empty)}: it was changed after Vaultik wrote it (tampering)");
            if (StoreLayout.TryParseBlobKey(history.Key, out var hash))
            {
                problems.Add(new VerifyProblem(history.Key, $"{what}; {await FirstVersionStateAsync(store, history.Key, hash, cancellationToken).ConfigureAwait(false)}", neededBy(hash.ToString())));
            }
            else
            {
                problems.Add(new VerifyProblem(history.Key, $"{what}; its first version is the one used", SnapshotOf(history.Key)));
            }
        }
    }

    private static async Task<string> FirstVersionStateAsync(IObjectStore store, string key, Hash256 hash, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await store.GetAsync(key, null, cancellationToken).ConfigureAwait(false);
            var actual = new Hash256(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            return actual == hash
                ? "its first version still hashes to its name and is the one used"
                : "its first version does not hash to its name either (corrupt): its data is lost";
        }
        catch (ObjectNotFoundException)
        {
            return "its first version cannot be read: its data is lost";
        }
    }

    /// <summary>The snapshot a <c>metadata/ID/…</c> key belongs to, or none.</summary>
    private static IReadOnlyList<string> SnapshotOf(string key)
    {
        if (!key.StartsWith(StoreLayout.MetadataPrefix, StringComparison.Ordinal))
        {
            return [];
        }

        var rest = key[StoreLayout.MetadataPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && SnapshotId.TryParse(rest[..slash], out _) ? [rest[..slash]] : [];
    }
}
