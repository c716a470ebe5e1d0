using Vaultik.Core.Catalog;
using Vaultik.Core.Integrity;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Retention;

/// <summary>
/// Keeps every object a kept snapshot still needs under Object Lock for as long as the snapshot is kept (like
/// kopia's extend-object-locks): for each complete snapshot, its manifest, its metadata and every blob its
/// manifest lists get their retention moved out to now + <c>retention</c> when it would lapse within half of
/// that. Needs no key and only <c>s3:PutObjectRetention</c> beyond reads. Runs over the store as first written
/// (<see cref="FirstWrittenView"/>): a key rewritten by someone else has its first version extended, the one
/// readers use. Memory: one manifest's blob list at a time, plus a set of the blob hashes already handled in
/// this run (32 bytes each, so blobs shared by many snapshots are checked once).
/// </summary>
public sealed class RetentionExtender
{
    private readonly FirstWrittenView _store;
    private readonly TimeSpan _retention;
    private readonly Dictionary<string, KeyHistory> _rewritten;

    public RetentionExtender(FirstWrittenView store, TimeSpan retention)
    {
        _store = store;
        _retention = retention;
        _rewritten = store.Tampered.ToDictionary(h => h.Key, StringComparer.Ordinal);
    }

    public async Task<RetentionReport> RunAsync(bool dryRun, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now + _retention;
        var renewBefore = now + (_retention / 2);
        var (complete, _) = await new SnapshotCatalog(_store).ScanAsync(cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<Hash256>();
        long checkedCount = 0, extended = 0, fine = 0, missing = 0;

        async Task Visit(string key)
        {
            checkedCount++;
            switch (await NeedsExtendingAsync(key, renewBefore, cancellationToken).ConfigureAwait(false))
            {
                case null:
                    missing++;
                    return;
                case false:
                    fine++;
                    return;
            }

            if (!dryRun)
            {
                var version = _rewritten.TryGetValue(key, out var history) ? history.First.VersionId : null;
                await _store.ExtendRetentionAsync(key, version, until, cancellationToken).ConfigureAwait(false);
            }

            extended++;
        }

        foreach (var id in complete)
        {
            var manifest = await ManifestCodec.ReadAsync(_store, id, cancellationToken).ConfigureAwait(false);
            await Visit(StoreLayout.ManifestKey(id)).ConfigureAwait(false);
            await Visit(StoreLayout.MetadataKey(id)).ConfigureAwait(false);
            foreach (var blob in manifest.Blobs)
            {
                if (Hash256.TryParse(blob.Hash, out var hash) && seen.Add(hash))
                {
                    await Visit(StoreLayout.BlobKey(hash)).ConfigureAwait(false);
                }
            }
        }

        return new RetentionReport(dryRun, complete.Count, checkedCount, extended, fine, missing, until);
    }

    /// <summary>
    /// Whether the object's retention lapses before <paramref name="renewBefore"/> (true), lasts past it (false),
    /// or the object is missing (null). A rewritten key's first version cannot be stat'ed alone: it is always renewed.
    /// </summary>
    private async Task<bool?> NeedsExtendingAsync(string key, DateTimeOffset renewBefore, CancellationToken cancellationToken)
    {
        if (_rewritten.ContainsKey(key))
        {
            return true;
        }

        try
        {
            var info = await _store.StatAsync(key, cancellationToken).ConfigureAwait(false);
            return info.RetainUntil is not { } current || current < renewBefore;
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }
}
