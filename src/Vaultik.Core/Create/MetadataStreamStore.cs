using Microsoft.Data.Sqlite;
using Vaultik.Core.Chunking;
using Vaultik.Core.Index;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;
using Vaultik.Core.Storage;
using Vaultik.Core.Util;

namespace Vaultik.Core.Create;

/// <summary>
/// Stores a finished snapshot database the format 3 way (docs/FORMAT.md, "Row stream"): writes its canonical
/// <see cref="RowStream"/> to a private file, cuts it with FastCDC (<see cref="RowStream.Chunker"/>) and sends
/// each chunk the store does not have through a <see cref="CreatePipeline"/> like file data, then builds the
/// small root object (<see cref="RootDatabase"/>) listing the stream's chunks and every blob the snapshot needs.
/// An unchanged snapshot's stream chunks are all known, so nothing but the root and the manifest is uploaded.
/// </summary>
internal static class MetadataStreamStore
{
    /// <returns>The path of the root database, in <paramref name="work"/>.</returns>
    public static async Task<string> StoreAsync(
        IObjectStore store, ChunkCache chunks, HashSet<Hash256> known, CreateOptions options, string work, string snapshotDbPath, CancellationToken cancellationToken)
    {
        var csvPath = Path.Combine(work, "entries.csv");
        var streamDb = Path.Combine(work, "stream.db");
        var sideDb = Path.Combine(work, "stream-side.db");
        var rootPath = Path.Combine(work, "root.db");
        long size;
        Hash256 hash;
        await using (var file = PrivateFiles.Open(csvPath, FileMode.Create, FileAccess.Write))
        {
            using var hashing = new HashingWriteStream(file, leaveOpen: true);
            RowStreamWriter.Write(snapshotDbPath, hashing);
            size = hashing.BytesWritten;
            hash = hashing.GetHash();
        }

        foreach (var path in new[] { streamDb, sideDb })
        {
            File.Delete(path);
            PrivateFiles.EnsureFile(path);
        }

        await using (var pipeline = new CreatePipeline(store, chunks, options with { TempDirectory = work }, new CreateStats(), cancellationToken))
        {
            var cut = Task.Factory.StartNew(() => Cut(csvPath, streamDb, sideDb, known, pipeline, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                await cut.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                pipeline.Abort(ex);
                throw;
            }

            await pipeline.CompleteAsync().ConfigureAwait(false);
        }

        var missing = chunks.ExportLocations(streamDb, sideDb);
        if (missing != 0)
        {
            throw new VaultikException($"cannot store the snapshot metadata: {missing} row stream chunks have no stored location");
        }

        RootDatabase.Build(rootPath, snapshotDbPath, streamDb, size, hash);
        File.Delete(csvPath);
        return rootPath;
    }

    /// <summary>Cuts the stream; records its chunk hashes in order (<c>_seq</c>) and once each (<c>_refs</c>, what ExportLocations reads).</summary>
    private static void Cut(string csvPath, string streamDb, string sideDb, HashSet<Hash256> known, CreatePipeline pipeline, CancellationToken cancellationToken)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = streamDb, Pooling = false, ForeignKeys = false }.ToString());
        db.Open();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + MetadataSchema.Create
                + "CREATE TABLE _seq (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL);"
                + "ATTACH DATABASE $side AS side; CREATE TABLE side._refs (hash BLOB PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;";
            cmd.Parameters.AddWithValue("$side", sideDb);
            cmd.ExecuteNonQuery();
        }

        using (var tx = db.BeginTransaction())
        {
            using var seq = new FastStatement(db, "INSERT INTO _seq (seq, hash) VALUES (?1, ?2);");
            using var refs = new FastStatement(db, "INSERT OR IGNORE INTO side._refs (hash, id) VALUES (?1, ?2);");
            using var input = new FileStream(csvPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var chunker = new StreamChunker(input, RowStream.Chunker);
            Span<byte> raw = stackalloc byte[Hash256.Size];
            long n = 0;
            while (chunker.TryReadNext(out var chunk))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var hash = Hash256.Compute(chunk.Span);
                hash.WriteTo(raw);
                seq.Bind(1, n).BindBlob(2, raw).Execute();
                refs.BindBlob(1, raw).Bind(2, ++n).Execute();
                if (known.Add(hash))
                {
                    pipeline.Submit(hash, chunk.Span);
                }
            }

            tx.Commit();
        }

        using var detach = db.CreateCommand();
        detach.CommandText = "DETACH DATABASE side;";
        detach.ExecuteNonQuery();
    }
}
