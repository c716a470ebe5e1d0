using Microsoft.Data.Sqlite;
using Vaultik.Core.Util;
using Vaultik.Core.Packing;

namespace Vaultik.Core.Index;

public sealed partial class LocalIndex
{
    /// <summary>Every chunk hash the index knows to be stored, loaded once so the hot path never asks SQLite.</summary>
    public HashSet<Hash256> LoadChunkHashes()
    {
        var set = new HashSet<Hash256>();
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT hash FROM chunks;";
        using var reader = cmd.ExecuteReader();
        var buffer = new byte[Hash256.Size];
        while (reader.Read())
        {
            if (reader.GetBytes(0, 0, buffer, 0, Hash256.Size) == Hash256.Size)
            {
                set.Add(new Hash256(buffer));
            }
        }

        return set;
    }

    /// <summary>Records a blob and its chunks as stored. Call only after the blob is durably in the store.</summary>
    public void RecordBlob(SealedBlob blob)
    {
        lock (_writeLock)
        {
            using var tx = _db.BeginTransaction();
            using (var cmd = _db.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT OR REPLACE INTO blobs (hash, size) VALUES ($h, $s);";
                cmd.Parameters.AddWithValue("$h", blob.Hash.ToArray());
                cmd.Parameters.AddWithValue("$s", blob.Size);
                cmd.ExecuteNonQuery();
            }

            // In hash order: the inserts then walk the chunks B-tree (and its by-blob index) forwards instead
            // of touching a random page each, which with a large blob meant one WAL page read and write per chunk.
            var ordered = blob.Chunks.ToArray();
            Array.Sort(ordered, (x, y) => x.Hash.CompareTo(y.Hash));
            using (var insert = new FastStatement(_db, "INSERT OR REPLACE INTO chunks (hash, blob_hash, frame_offset, frame_length, plain_length) VALUES (?1, ?2, ?3, ?4, ?5);"))
            {
                Span<byte> hash = stackalloc byte[Hash256.Size];
                Span<byte> blobHash = stackalloc byte[Hash256.Size];
                blob.Hash.WriteTo(blobHash);
                foreach (var chunk in ordered)
                {
                    chunk.Hash.WriteTo(hash);
                    insert.BindBlob(1, hash).BindBlob(2, blobHash).Bind(3, chunk.FrameOffset).Bind(4, chunk.FrameLength).Bind(5, chunk.PlainLength).Execute();
                }
            }

            tx.Commit();
        }
    }

    /// <summary>
    /// Makes the index agree with the store: forgets every blob (and its chunks) that the store's
    /// <c>blobs/</c> listing lacks or lists with another size, e.g. after a prune from any host.
    /// </summary>
    public ReconcileResult Reconcile(IReadOnlyDictionary<Hash256, long> storeBlobs)
    {
        var stale = new List<byte[]>();
        using (var cmd = _db.CreateCommand())
        {
            cmd.CommandText = "SELECT hash, size FROM blobs;";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var hash = (byte[])reader[0];
                if (hash.Length != Hash256.Size || !storeBlobs.TryGetValue(new Hash256(hash), out var size) || size != reader.GetInt64(1))
                {
                    stale.Add(hash);
                }
            }
        }

        var chunksForgotten = 0;
        lock (_writeLock)
        {
            using var tx = _db.BeginTransaction();
            using var delChunks = _db.CreateCommand();
            delChunks.Transaction = tx;
            delChunks.CommandText = "DELETE FROM chunks WHERE blob_hash = $h;";
            var p1 = delChunks.Parameters.Add("$h", SqliteType.Blob);
            using var delBlob = _db.CreateCommand();
            delBlob.Transaction = tx;
            delBlob.CommandText = "DELETE FROM blobs WHERE hash = $h;";
            var p2 = delBlob.Parameters.Add("$h", SqliteType.Blob);
            foreach (var hash in stale)
            {
                p1.Value = hash;
                chunksForgotten += delChunks.ExecuteNonQuery();
                p2.Value = hash;
                delBlob.ExecuteNonQuery();
            }

            // Chunks whose blob row is missing (an index written by a crashed older run) are dangling too.
            using var orphans = _db.CreateCommand();
            orphans.Transaction = tx;
            orphans.CommandText = "DELETE FROM chunks WHERE blob_hash NOT IN (SELECT hash FROM blobs);";
            chunksForgotten += orphans.ExecuteNonQuery();
            tx.Commit();
        }

        return new ReconcileResult(stale.Count, chunksForgotten);
    }

    /// <summary>Number of chunks whose blob the index does not list (always 0 after <see cref="Reconcile"/>).</summary>
    public long CountDanglingChunks()
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM chunks WHERE blob_hash NOT IN (SELECT hash FROM blobs);";
        return (long)cmd.ExecuteScalar()!;
    }
}
