using System.Collections.Concurrent;
using Vaultik.Age;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Core.Packing;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Verify;

/// <summary>
/// What the snapshots' metadata says, for deep verification with a key: per blob the chunks it holds, and every
/// blob the metadata's chunks need (with its stored size and the snapshots needing it), whether or not the
/// manifests list it. Each metadata database is downloaded, decrypted, compared with its manifest
/// (<see cref="MetadataManifestCheck"/>) and read once; what is wrong with it becomes a problem on its key.
/// </summary>
internal sealed class MetadataPlans
{
    private MetadataPlans()
    {
    }

    /// <summary>Per blob hash, its chunks by frame offset.</summary>
    public Dictionary<string, Dictionary<long, PackedChunk>> Chunks { get; } = new(StringComparer.Ordinal);

    /// <summary>Per blob hash the metadata needs, its stored size and the snapshots whose chunks are in it.</summary>
    public Dictionary<string, (long Size, List<string> Snapshots)> Needs { get; } = new(StringComparer.Ordinal);

    public static async Task<MetadataPlans> LoadAsync(
        IObjectStore store, IReadOnlyList<SnapshotManifest> snapshots, Func<int, CancellationToken, Task<SnapshotManifest>> wholeManifest,
        IReadOnlyList<IIdentity> identities, string tempDirectory, ConcurrentBag<VerifyProblem> problems, CancellationToken cancellationToken)
    {
        var plans = new MetadataPlans();
        var work = Path.Combine(tempDirectory.Length > 0 ? tempDirectory : Path.GetTempPath(), $"vaultik-verify-{Guid.NewGuid():N}");
        try
        {
            for (var i = 0; i < snapshots.Count; i++)
            {
                var snapshot = snapshots[i];
                var key = StoreLayout.MetadataKey(snapshot.Id);
                string dbPath;
                try
                {
                    dbPath = await MetadataDownloader.DownloadAsync(store, snapshot, identities, work, cancellationToken).ConfigureAwait(false);
                }
                catch (VaultikException ex) when (ex is CorruptDataException or StorageException)
                {
                    problems.Add(new VerifyProblem(key, ex.Message, [snapshot.Id]));
                    continue;
                }

                try
                {
                    using var db = new MetadataReader(dbPath);
                    // The check compares blob lists: it needs this one snapshot's whole manifest.
                    if (MetadataManifestCheck.Problem(db, await wholeManifest(i, cancellationToken).ConfigureAwait(false)) is { } mismatch)
                    {
                        problems.Add(new VerifyProblem(key, $"does not belong to its manifest: {mismatch}", [snapshot.Id]));
                    }

                    foreach (var problem in db.CheckFileChunks())
                    {
                        problems.Add(new VerifyProblem(key, problem, [snapshot.Id]));
                    }

                    plans.Add(snapshot.Id, db.AllChunks());
                }
                catch (CorruptDataException ex)
                {
                    problems.Add(new VerifyProblem(key, ex.Message, [snapshot.Id]));
                }

                File.Delete(dbPath);
            }
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        return plans;
    }

    private void Add(string snapshotId, IEnumerable<(string Blob, long BlobSize, PackedChunk Chunk)> chunks)
    {
        foreach (var (blob, size, chunk) in chunks)
        {
            if (!Chunks.TryGetValue(blob, out var inBlob))
            {
                inBlob = [];
                Chunks[blob] = inBlob;
            }

            inBlob[chunk.FrameOffset] = chunk;
            if (!Needs.TryGetValue(blob, out var need))
            {
                need = (size, []);
                Needs[blob] = need;
            }

            // One snapshot's chunks are added together, so a snapshot already counted for this blob is the last one.
            if (need.Snapshots.Count == 0 || need.Snapshots[^1] != snapshotId)
            {
                need.Snapshots.Add(snapshotId);
            }
        }
    }
}
