using Microsoft.Data.Sqlite;
using Vaultik.Core.Util;
using Vaultik.Core.Packing;

namespace Vaultik.Core.Index;

/// <summary>
/// The dedup cache (tables <c>blobs</c> and <c>chunks</c>): which blobs this host knows to be stored and where
/// each of their chunks lies. Fed by the create pipeline once a blob is durably stored; read at the start of
/// each snapshot, after <see cref="Reconcile"/> made it agree with the store's blob listing.
/// </summary>
public sealed class ChunkCache
{
    private readonly IndexConnection _connection;

    internal ChunkCache(IndexConnection connection) => _connection = connection;

    private SqliteConnection Db => _connection.Db;

    /// <summary>Every chunk hash the index knows to be stored, loaded once so the hot path never asks SQLite.</summary>
    public HashSet<Hash256> LoadHashes()
    {
        var set = new HashSet<Hash256>();
        using var cmd = Db.CreateCommand();
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

    /// <summary>
    /// Keeps the cache to blobs encrypted to <paramref name="recipients"/>. When they differ from the recipients
    /// the cached blobs were written for (key <c>recipients</c> in <c>meta</c>), every blob and chunk is forgotten,
    /// so the next snapshot stores its data again for the new recipients instead of pointing at blobs only the
    /// old identities can read (e.g. after moving a store to post-quantum keys). An index that has no record yet
    /// adopts the current recipients. Returns true when the cache was emptied.
    /// </summary>
    public bool KeepOnlyFor(IEnumerable<string> recipients)
    {
        var fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Join('\n', recipients.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)))));
        lock (_connection.WriteLock)
        {
            using var tx = Db.BeginTransaction();
            using var read = Db.CreateCommand();
            read.Transaction = tx;
            read.CommandText = "SELECT value FROM meta WHERE key = 'recipients';";
            var recorded = read.ExecuteScalar() as string;
            var forget = recorded is not null && recorded != fingerprint;
            using var write = Db.CreateCommand();
            write.Transaction = tx;
            write.CommandText = (forget ? "DELETE FROM chunks; DELETE FROM blobs; " : string.Empty)
                + "INSERT OR REPLACE INTO meta (key, value) VALUES ('recipients', $f);";
            write.Parameters.AddWithValue("$f", fingerprint);
            write.ExecuteNonQuery();
            tx.Commit();
            return forget;
        }
    }

    /// <summary>Records a blob and its chunks as stored. Call only after the blob is durably in the store.</summary>
    public void RecordBlob(SealedBlob blob)
    {
        lock (_connection.WriteLock)
        {
            using var tx = Db.BeginTransaction();
            Span<byte> blobHash = stackalloc byte[Hash256.Size];
            blob.Hash.WriteTo(blobHash);
            long blobId;
            using (var upsert = new FastStatement(Db, "INSERT INTO blobs (hash, size) VALUES (?1, ?2) ON CONFLICT (hash) DO UPDATE SET size = excluded.size RETURNING id;"))
            {
                upsert.BindBlob(1, blobHash).Bind(2, blob.Size);
                upsert.Step();
                blobId = upsert.Int64(0);
                upsert.Reset();
            }

            // In hash order: the lookups and inserts then walk the hash index forwards instead of touching a
            // random page each, which with a large blob meant one WAL page read and write per chunk. A chunk
            // already known keeps its id (file rows refer to it) and takes the new location.
            var ordered = blob.Chunks.ToArray();
            Array.Sort(ordered, (x, y) => x.Hash.CompareTo(y.Hash));
            using var find = new FastStatement(Db, $"SELECT id FROM chunks c WHERE {IndexSchema.ChunkByHash};");
            using var update = new FastStatement(Db, "UPDATE chunks SET blob = ?2, frame_offset = ?3, frame_length = ?4, plain_length = ?5 WHERE id = ?1;");
            using var insert = new FastStatement(Db, "INSERT INTO chunks (hash, blob, frame_offset, frame_length, plain_length) VALUES (?1, ?2, ?3, ?4, ?5);");
            Span<byte> hash = stackalloc byte[Hash256.Size];
            foreach (var chunk in ordered)
            {
                chunk.Hash.WriteTo(hash);
                find.BindBlob(1, hash);
                var known = find.Step() ? find.Int64(0) : 0;
                find.Reset();
                if (known != 0)
                {
                    update.Bind(1, known).Bind(2, blobId).Bind(3, chunk.FrameOffset).Bind(4, chunk.FrameLength).Bind(5, chunk.PlainLength).Execute();
                }
                else
                {
                    insert.BindBlob(1, hash).Bind(2, blobId).Bind(3, chunk.FrameOffset).Bind(4, chunk.FrameLength).Bind(5, chunk.PlainLength).Execute();
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
        var stale = new List<long>();
        using (var cmd = Db.CreateCommand())
        {
            cmd.CommandText = "SELECT id, hash, size FROM blobs;";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var hash = (byte[])reader[1];
                if (hash.Length != Hash256.Size || !storeBlobs.TryGetValue(new Hash256(hash), out var size) || size != reader.GetInt64(2))
                {
                    stale.Add(reader.GetInt64(0));
                }
            }
        }

        int chunksForgotten;
        lock (_connection.WriteLock)
        {
            using var tx = Db.BeginTransaction();
            using var delBlob = Db.CreateCommand();
            delBlob.Transaction = tx;
            delBlob.CommandText = "DELETE FROM blobs WHERE id = $b;";
            var blobId = delBlob.Parameters.Add("$b", SqliteType.Integer);
            foreach (var id in stale)
            {
                blobId.Value = id;
                delBlob.ExecuteNonQuery();
            }

            // One pass over the chunks forgets those of the stale blobs and any whose blob row is missing
            // (an index written by a crashed older run): an index by blob would cost 10 bytes per chunk.
            using var orphans = Db.CreateCommand();
            orphans.Transaction = tx;
            orphans.CommandText = "DELETE FROM chunks WHERE blob NOT IN (SELECT id FROM blobs);";
            chunksForgotten = orphans.ExecuteNonQuery();
            tx.Commit();
        }

        return new ReconcileResult(stale.Count, chunksForgotten);
    }

    /// <summary>Number of chunks whose blob the index does not list (always 0 after <see cref="Reconcile"/>).</summary>
    public long CountDangling()
    {
        using var cmd = Db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM chunks WHERE blob NOT IN (SELECT id FROM blobs);";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>A staged reference <c>r</c> matched to its chunk <c>c</c> through <c>chunks_by_hash</c>.</summary>
    private const string Match = "substr(c.hash, 1, 8) = substr(r.hash, 1, 8) AND c.hash = r.hash";

    /// <summary>
    /// Fills a snapshot database's <c>chunks</c> and <c>blobs</c> tables with the stored locations of every chunk
    /// listed in the side database's <c>_refs</c> table; returns how many referenced chunks had no location.
    /// </summary>
    internal long ExportLocations(string metadataDbPath, string sideDbPath)
    {
        lock (_connection.WriteLock)
        {
            return _connection.InAttachedTransaction([("snap", metadataDbPath), ("side", sideDbPath)], tx =>
            {
                using var copy = Db.CreateCommand();
                copy.Transaction = tx;
                copy.CommandText = $"""
                    INSERT INTO snap.blobs (hash, size)
                      SELECT lower(hex(b.hash)), b.size FROM blobs b
                      WHERE b.id IN (SELECT DISTINCT c.blob FROM side._refs r CROSS JOIN chunks c ON {Match});
                    INSERT INTO snap.chunks (id, hash, blob_hash, frame_offset, frame_length, plain_length)
                      SELECT r.id, lower(hex(c.hash)), lower(hex(b.hash)), c.frame_offset, c.frame_length, c.plain_length
                      FROM side._refs r CROSS JOIN chunks c ON {Match} JOIN blobs b ON b.id = c.blob ORDER BY r.id;
                    """;
                copy.ExecuteNonQuery();
                using var count = Db.CreateCommand();
                count.Transaction = tx;
                count.CommandText = "SELECT (SELECT count(*) FROM side._refs) - (SELECT count(*) FROM snap.chunks);";
                return (long)count.ExecuteScalar()!;
            });
        }
    }
}
