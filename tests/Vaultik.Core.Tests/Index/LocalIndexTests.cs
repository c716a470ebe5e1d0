using Vaultik.Core.Index;
using Vaultik.Core.Packing;

namespace Vaultik.Core.Tests.Index;

public sealed class LocalIndexTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-index-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SealedBlob Blob(byte seed, params byte[] chunkSeeds) => new(
        Hash256.Compute([seed]), 1000 + seed, "unused",
        chunkSeeds.Select((c, i) => new PackedChunk(Hash256.Compute([c, 0xCC]), i * 100, 100, 400)).ToArray());

    [Fact]
    public void Reconcile_forgets_blobs_the_store_no_longer_has_and_their_chunks()
    {
        using var index = LocalIndex.Open(Path.Combine(_dir, "index.sqlite"), _ => { });
        var kept = Blob(1, 10, 11);
        var pruned = Blob(2, 20, 21, 22);
        index.Chunks.RecordBlob(kept);
        index.Chunks.RecordBlob(pruned);
        Assert.Equal(5, index.Chunks.LoadHashes().Count);

        var result = index.Chunks.Reconcile(new Dictionary<Hash256, long> { [kept.Hash] = kept.Size });

        Assert.Equal(new ReconcileResult(1, 3), result);
        var chunks = index.Chunks.LoadHashes();
        Assert.Equal(2, chunks.Count);
        Assert.Contains(kept.Chunks[0].Hash, chunks);
        Assert.DoesNotContain(pruned.Chunks[0].Hash, chunks);
        Assert.Equal(0, index.Chunks.CountDangling());
    }

    [Fact]
    public void Cached_blobs_are_forgotten_when_the_recipients_change_and_kept_when_only_their_order_does()
    {
        var path = Path.Combine(_dir, "index.sqlite");
        using (var index = LocalIndex.Open(path, _ => { }))
        {
            index.Chunks.RecordBlob(Blob(4, 40, 41));
            Assert.False(index.Chunks.KeepOnlyFor(["age1b", "age1a"]), "an index with no record adopts the recipients");
            Assert.False(index.Chunks.KeepOnlyFor(["age1a", "age1b", "age1a"]));
            Assert.Equal(2, index.Chunks.LoadHashes().Count);
        }

        using (var reopened = LocalIndex.Open(path, _ => { }))
        {
            Assert.True(reopened.Chunks.KeepOnlyFor(["age1pq1c"]));
            Assert.Empty(reopened.Chunks.LoadHashes());
            Assert.False(reopened.Chunks.KeepOnlyFor(["age1pq1c"]));
        }
    }

    [Fact]
    public void A_blob_listed_with_another_size_is_forgotten_too()
    {
        using var index = LocalIndex.Open(Path.Combine(_dir, "index.sqlite"), _ => { });
        var blob = Blob(3, 30);
        index.Chunks.RecordBlob(blob);
        var result = index.Chunks.Reconcile(new Dictionary<Hash256, long> { [blob.Hash] = blob.Size + 1 });
        Assert.Equal(1, result.BlobsForgotten);
        Assert.Empty(index.Chunks.LoadHashes());
    }

    [Fact]
    public void A_corrupt_index_file_is_moved_aside_with_a_warning_and_replaced()
    {
        var path = Path.Combine(_dir, "index.sqlite");
        File.WriteAllText(path, "this is not a sqlite database, it is garbage that got written over the index");
        var warnings = new List<string>();

        using (var index = LocalIndex.Open(path, warnings.Add))
        {
            index.Chunks.RecordBlob(Blob(4, 40));
            Assert.Single(index.Chunks.LoadHashes());
        }

        Assert.Single(warnings);
        Assert.Contains("damaged", warnings[0]);
        Assert.Single(Directory.GetFiles(_dir, "index.sqlite.corrupt-*"));
    }

    [Fact]
    public void A_truncated_index_file_is_detected()
    {
        var path = Path.Combine(_dir, "index.sqlite");
        using (var index = LocalIndex.Open(path, _ => { }))
        {
            for (byte i = 0; i < 200; i++)
            {
                index.Chunks.RecordBlob(Blob(i, i, (byte)(i + 1)));
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var warnings = new List<string>();
        using (var reopened = LocalIndex.Open(path, warnings.Add))
        {
            Assert.NotNull(reopened.Chunks.LoadHashes());
        }

        Assert.Single(warnings);
    }
}
