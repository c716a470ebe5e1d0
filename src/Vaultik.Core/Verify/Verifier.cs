using System.Collections.Concurrent;
using System.Security.Cryptography;
using Vaultik.Core.Packing;
using Vaultik.Core.Storage;
using Vaultik.Core.Catalog;
using Vaultik.Core.Metadata;
using Vaultik.Core.Layout;
using Vaultik.Core.Integrity;

namespace Vaultik.Core.Verify;

/// <summary>
/// Checks snapshots against the store, each blob once however many snapshots share it. Quick mode compares
/// manifests with the listing; deep mode downloads blobs and checks their SHA-256 against their names (no
/// key); with identities it also decrypts the metadata, compares it with its manifest (<see cref="MetadataManifestCheck"/>),
/// checks that every blob its chunks need is stored (listed by the manifest or not), decrypts every chunk and checks
/// each chunk's SHA-256 and that every file's chunks are present and add up to its size. Keys written more than
/// once (tampering, in a versioned bucket) are problems in every mode.
/// </summary>
public sealed class Verifier
{
    private readonly IObjectStore _store;
    private readonly IReadOnlyList<KeyHistory> _tampered;

    public Verifier(IObjectStore store)
        : this(store, [])
    {
    }

    /// <summary>
    /// A verifier over <paramref name="store"/> (normally a <see cref="FirstWrittenView"/>) that also reports each
    /// key of <paramref name="tampered"/> (<see cref="FirstWrittenView.Tampered"/>) as a problem.
    /// </summary>
    public Verifier(IObjectStore store, IReadOnlyList<KeyHistory> tampered)
    {
        _store = store;
        _tampered = tampered;
    }

    /// <summary>Verifies snapshots whose whole manifests are at hand (<c>snapshot verify ID</c>: one manifest).</summary>
    public Task<VerifyReport> VerifyAsync(IReadOnlyList<SnapshotManifest> snapshots, VerifyOptions options, bool reportStoreWide, CancellationToken cancellationToken) =>
        VerifyAsync(snapshots, (i, onBlob, _) =>
        {
            foreach (var blob in snapshots[i].Blobs)
            {
                onBlob(Hash256.Parse(blob.Hash), blob.Size);
            }

            return Task.CompletedTask;
        }, (i, _) => Task.FromResult(snapshots[i]), options, reportStoreWide, cancellationToken);

    /// <summary>
    /// Verifies the snapshots of catalog entries holding manifest headers (<see cref="SnapshotCatalog.ManifestEntriesAsync"/>):
    /// each manifest's blob list is streamed from its directory again when needed, never held. An entry whose
    /// manifest cannot be read is a problem named by its manifest key; the others are still checked.
    /// </summary>
    public Task<VerifyReport> VerifyAsync(IReadOnlyList<CatalogEntry> entries, VerifyOptions options, bool reportStoreWide, CancellationToken cancellationToken)
    {
        var readable = entries.Where(e => e.Manifest is not null).ToList();
        var unreadable = entries.Where(e => e.Status == CatalogStatus.Unreadable)
            .Select(e => new VerifyProblem(StoreLayout.ManifestKey(e.Id), $"its manifest cannot be read: {e.Reason}", [e.Id]));
        return VerifyAsync(readable.Select(e => e.Manifest!).ToList(), async (i, onBlob, ct) =>
            await ManifestScanner.ReadAsync(_store, readable[i].Id, onBlob, ct, requireMatchingId: false).ConfigureAwait(false),
            (i, ct) => ManifestCodec.ReadAsync(_store, readable[i].Id, ct, requireMatchingId: false), options, reportStoreWide, cancellationToken, unreadable);
    }

    /// <param name="blobsOf">Streams the blob list of snapshot i (of <paramref name="snapshots"/>) to the callback.</param>
    /// <param name="wholeManifest">The whole manifest of snapshot i (for the metadata check with a key).</param>
    private async Task<VerifyReport> VerifyAsync(
        IReadOnlyList<SnapshotManifest> snapshots, Func<int, Action<Hash256, long>, CancellationToken, Task> blobsOf,
        Func<int, CancellationToken, Task<SnapshotManifest>> wholeManifest, VerifyOptions options, bool reportStoreWide, CancellationToken cancellationToken,
        IEnumerable<VerifyProblem>? known = null)
    {
        var problems = new ConcurrentBag<VerifyProblem>(known ?? []);
        // Held: the listing and the blobs needed as fixed-size structs (the first manifest's size wins); the
        // snapshots needing a blob are looked up again, for the few blobs with a problem, by a second pass.
        var listing = new BlobSet();
        await foreach (var info in _store.ListAsync(StoreLayout.BlobsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (StoreLayout.TryParseBlobKey(info.Key, out var hash))
            {
                listing.Add(hash, info.Size, 0);
            }
        }

        var needs = new BlobSet();
        for (var i = 0; i < snapshots.Count; i++)
        {
            var owner = i;
            await blobsOf(i, (hash, size) => needs.Add(hash, size, owner), cancellationToken).ConfigureAwait(false);
            await CheckMetadataObjectAsync(snapshots[i], options.Deep, problems, cancellationToken).ConfigureAwait(false);
        }

        // Age encryption is randomised, so two genuine snapshots never share a metadata object: a shared one means a
        // manifest was pointed at another snapshot's metadata (which the key-holding check names too).
        foreach (var group in snapshots.GroupBy(m => m.MetadataHash, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (var snapshot in group)
            {
                var others = string.Join(", ", group.Where(o => o.Id != snapshot.Id).Select(o => o.Id));
                problems.Add(new VerifyProblem(StoreLayout.MetadataKey(snapshot.Id), $"its manifest gives the metadata SHA-256 of snapshot {others}'s: one of them was pointed at another snapshot's metadata", [snapshot.Id]));
            }
        }

        // With a key (quick or deep), the metadata is checked against its manifest, and the blobs its chunks need
        // count too, whether or not the manifests list them.
        var plans = options.Identities is { } ids
            ? await MetadataPlans.LoadAsync(_store, snapshots, wholeManifest, ids, options.TempDirectory, problems, cancellationToken).ConfigureAwait(false)
            : null;
        var unlisted = new BlobSet();
        foreach (var (hash, metadataNeed) in plans?.Needs ?? [])
        {
            var parsed = Hash256.Parse(hash);
            if (!needs.Contains(parsed))
            {
                unlisted.Add(parsed, metadataNeed.Size, 0);
            }
        }

        var pending = new List<(Hash256 Hash, string Key, string Problem)>();
        var present = new List<(Hash256 Hash, long Size)>();
        foreach (var (hash, size, isUnlisted) in needs.Sorted().Select(n => (n.Hash, n.Size, false)).Concat(unlisted.Sorted().Select(n => (n.Hash, n.Size, true))))
        {
            if (!listing.TryGet(hash, out var stored, out _))
            {
                var why = isUnlisted ? " (the metadata's chunks need it; the manifest does not list it)" : string.Empty;
                pending.Add((hash, StoreLayout.BlobKey(hash), $"missing{why}"));
            }
            else if (stored != size)
            {
                pending.Add((hash, StoreLayout.BlobKey(hash), $"has {stored} bytes, manifest says {size}"));
            }
            else
            {
                present.Add((hash, size));
            }
        }

        var deepChecked = 0;
        long chunksChecked = 0;
        if (options.Deep)
        {
            var sample = Sample(present, options.SamplePercent);
            deepChecked = sample.Count;
            var chunkPlans = plans?.Chunks;
            var failed = new ConcurrentBag<(Hash256 Hash, string Key, string Problem)>();
            await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (blob, ct) =>
            {
                var chunks = await DeepCheckBlobAsync(blob.Hash, blob.Size, chunkPlans, options, failed, ct).ConfigureAwait(false);
                Interlocked.Add(ref chunksChecked, chunks);
            }).ConfigureAwait(false);
            pending.AddRange(failed);
        }

        var neededBy = await NeededByAsync(snapshots, blobsOf, pending.Select(p => p.Hash), plans, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> Snapshots(Hash256 hash) => neededBy.TryGetValue(hash, out var list) ? list : [];
        foreach (var (hash, key, problem) in pending)
        {
            problems.Add(new VerifyProblem(key, problem, Snapshots(hash)));
        }

        await RewrittenKeyCheck.RunAsync(_store, _tampered, hash => Hash256.TryParse(hash, out var h) ? Snapshots(h) : [], problems, cancellationToken).ConfigureAwait(false);

        var orphans = new List<string>();
        var incomplete = new List<string>();
        if (reportStoreWide)
        {
            orphans.AddRange(listing.Sorted().Where(b => !needs.Contains(b.Hash) && !unlisted.Contains(b.Hash)).Select(b => b.Hash.ToString()));
            incomplete.AddRange((await new SnapshotCatalog(_store).ScanAsync(cancellationToken).ConfigureAwait(false)).Incomplete);
        }

        return new VerifyReport(snapshots.Count, needs.Count + unlisted.Count, deepChecked, chunksChecked,
            problems.OrderBy(p => p.Object, StringComparer.Ordinal).ToList(), orphans, incomplete);
    }

    /// <summary>
    /// The snapshots needing each blob of <paramref name="wanted"/> and each rewritten blob: a second pass over the
    /// manifests' blob lists (none when nothing is wanted), then the snapshots whose metadata needs them.
    /// </summary>
    private async Task<Dictionary<Hash256, List<string>>> NeededByAsync(
        IReadOnlyList<SnapshotManifest> snapshots, Func<int, Action<Hash256, long>, CancellationToken, Task> blobsOf,
        IEnumerable<Hash256> wanted, MetadataPlans? plans, CancellationToken cancellationToken)
    {
        var neededBy = new Dictionary<Hash256, List<string>>();
        foreach (var hash in wanted.Concat(_tampered.Select(t => StoreLayout.TryParseBlobKey(t.Key, out var h) ? (Hash256?)h : null).OfType<Hash256>()))
        {
            neededBy.TryAdd(hash, []);
        }

        if (neededBy.Count == 0)
        {
            return neededBy;
        }

        for (var i = 0; i < snapshots.Count; i++)
        {
            var id = snapshots[i].Id;
            await blobsOf(i, (hash, _) =>
            {
                if (neededBy.TryGetValue(hash, out var list) && (list.Count == 0 || list[^1] != id))
                {
                    list.Add(id);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (hash, list) in neededBy)
        {
            if (plans is not null && plans.Needs.TryGetValue(hash.ToString(), out var need))
            {
                list.AddRange(need.Snapshots.Where(id => !list.Contains(id)).ToList());
            }
        }

        return neededBy;
    }

    private async Task CheckMetadataObjectAsync(SnapshotManifest snapshot, bool deep, ConcurrentBag<VerifyProblem> problems, CancellationToken cancellationToken)
    {
        var key = StoreLayout.MetadataKey(snapshot.Id);
        try
        {
            var info = await _store.StatAsync(key, cancellationToken).ConfigureAwait(false);
            if (info.Size != snapshot.MetadataSize)
            {
                problems.Add(new VerifyProblem(key, $"has {info.Size} bytes, manifest says {snapshot.MetadataSize}", [snapshot.Id]));
            }
            else if (deep)
            {
                await using var stream = await _store.GetAsync(key, null, cancellationToken).ConfigureAwait(false);
                var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
                if (hash != snapshot.MetadataHash)
                {
                    problems.Add(new VerifyProblem(key, "SHA-256 does not match the manifest (corrupt)", [snapshot.Id]));
                }
            }
        }
        catch (ObjectNotFoundException)
        {
            problems.Add(new VerifyProblem(key, "missing", [snapshot.Id]));
        }
    }

    private async Task<long> DeepCheckBlobAsync(
        Hash256 hash, long size, Dictionary<string, Dictionary<long, PackedChunk>>? chunkPlans,
        VerifyOptions options, ConcurrentBag<(Hash256 Hash, string Key, string Problem)> problems, CancellationToken cancellationToken)
    {
        var key = StoreLayout.BlobKey(hash);
        try
        {
            await using (var stream = await _store.GetAsync(key, null, cancellationToken).ConfigureAwait(false))
            {
                var actual = new Hash256(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
                if (actual != hash)
                {
                    problems.Add((hash, key, "SHA-256 does not match its name (corrupt)"));
                    return 0;
                }
            }

            if (chunkPlans is null || options.Identities is null || !chunkPlans.TryGetValue(hash.ToString(), out var chunks))
            {
                return 0;
            }

            var reader = await BlobReader.OpenAsync(_store, hash, size, options.Identities, cancellationToken).ConfigureAwait(false);
            long count = 0;
            await reader.ReadChunksAsync(chunks.Values, (_, _) =>
            {
                count++;
                return ValueTask.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
            return count;
        }
        catch (ObjectNotFoundException)
        {
            problems.Add((hash, key, "missing"));
        }
        catch (CorruptDataException ex)
        {
            problems.Add((hash, key, ex.Message));
        }

        return 0;
    }

    private static List<T> Sample<T>(List<T> items, double percent)
    {
        if (percent >= 100)
        {
            return items;
        }

        var count = (int)Math.Ceiling(items.Count * Math.Max(0, percent) / 100);
        return items.OrderBy(_ => Random.Shared.Next()).Take(count).ToList();
    }
}
