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

    public async Task<VerifyReport> VerifyAsync(IReadOnlyList<SnapshotManifest> snapshots, VerifyOptions options, bool reportStoreWide, CancellationToken cancellationToken)
    {
        var problems = new ConcurrentBag<VerifyProblem>();
        var listing = new Dictionary<string, ObjectInfo>(StringComparer.Ordinal);
        await foreach (var info in _store.ListAsync(StoreLayout.BlobsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (StoreLayout.TryParseBlobKey(info.Key, out var hash))
            {
                listing[hash.ToString()] = info;
            }
        }

        var needs = new Dictionary<string, (long Size, List<string> Snapshots)>(StringComparer.Ordinal);
        foreach (var snapshot in snapshots)
        {
            foreach (var blob in snapshot.Blobs)
            {
                if (!needs.TryGetValue(blob.Hash, out var need))
                {
                    need = (blob.Size, []);
                    needs[blob.Hash] = need;
                }

                need.Snapshots.Add(snapshot.Id);
            }

            await CheckMetadataObjectAsync(snapshot, options.Deep, problems, cancellationToken).ConfigureAwait(false);
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

        // With a key, the blobs the metadata's chunks need count too, whether or not the manifests list them.
        var plans = options.Deep && options.Identities is { } ids
            ? await MetadataPlans.LoadAsync(_store, snapshots, ids, options.TempDirectory, problems, cancellationToken).ConfigureAwait(false)
            : null;
        var unlisted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (hash, metadataNeed) in plans?.Needs ?? [])
        {
            if (!needs.TryGetValue(hash, out var need))
            {
                needs[hash] = (metadataNeed.Size, metadataNeed.Snapshots);
                unlisted.Add(hash);
                continue;
            }

            need.Snapshots.AddRange(metadataNeed.Snapshots.Where(id => !need.Snapshots.Contains(id)).ToList());
        }

        await RewrittenKeyCheck.RunAsync(_store, _tampered, hash => needs.TryGetValue(hash, out var need) ? need.Snapshots : [], problems, cancellationToken).ConfigureAwait(false);

        var present = new List<(Hash256 Hash, long Size, List<string> Snapshots)>();
        foreach (var (hash, need) in needs.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (!listing.TryGetValue(hash, out var info))
            {
                var why = unlisted.Contains(hash) ? " (the metadata's chunks need it; the manifest does not list it)" : string.Empty;
                problems.Add(new VerifyProblem(StoreLayout.BlobKey(Hash256.Parse(hash)), $"missing{why}", need.Snapshots));
            }
            else if (info.Size != need.Size)
            {
                problems.Add(new VerifyProblem(info.Key, $"has {info.Size} bytes, manifest says {need.Size}", need.Snapshots));
            }
            else
            {
                present.Add((Hash256.Parse(hash), need.Size, need.Snapshots));
            }
        }

        var deepChecked = 0;
        long chunksChecked = 0;
        if (options.Deep)
        {
            var sample = Sample(present, options.SamplePercent);
            deepChecked = sample.Count;
            var chunkPlans = plans?.Chunks;
            await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (blob, ct) =>
            {
                var chunks = await DeepCheckBlobAsync(blob.Hash, blob.Size, blob.Snapshots, chunkPlans, options, problems, ct).ConfigureAwait(false);
                Interlocked.Add(ref chunksChecked, chunks);
            }).ConfigureAwait(false);
        }

        var orphans = new List<string>();
        var incomplete = new List<string>();
        if (reportStoreWide)
        {
            orphans.AddRange(listing.Keys.Where(h => !needs.ContainsKey(h)).Order(StringComparer.Ordinal));
            incomplete.AddRange((await new SnapshotCatalog(_store).ScanAsync(cancellationToken).ConfigureAwait(false)).Incomplete);
        }

        return new VerifyReport(snapshots.Count, needs.Count, deepChecked, chunksChecked,
            problems.OrderBy(p => p.Object, StringComparer.Ordinal).ToList(), orphans, incomplete);
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
        Hash256 hash, long size, List<string> snapshots, Dictionary<string, Dictionary<long, PackedChunk>>? chunkPlans,
        VerifyOptions options, ConcurrentBag<VerifyProblem> problems, CancellationToken cancellationToken)
    {
        var key = StoreLayout.BlobKey(hash);
        try
        {
            await using (var stream = await _store.GetAsync(key, null, cancellationToken).ConfigureAwait(false))
            {
                var actual = new Hash256(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
                if (actual != hash)
                {
                    problems.Add(new VerifyProblem(key, "SHA-256 does not match its name (corrupt)", snapshots));
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
            problems.Add(new VerifyProblem(key, "missing", snapshots));
        }
        catch (CorruptDataException ex)
        {
            problems.Add(new VerifyProblem(key, ex.Message, snapshots));
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
