using System.Globalization;
using Microsoft.Data.Sqlite;
using Vaultik.Age;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;
using Vaultik.Core.Storage;
using Vaultik.Core.Util;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Turns a downloaded format 3 root object into the local snapshot database: fetches the row stream's chunks in
/// order (each frame's SHA-256 and plain length checked by <see cref="BlobReader"/>) into a private file, checks
/// the whole stream's size and SHA-256 against the root, and replays it (<see cref="RowStreamReplay"/>).
/// </summary>
internal static class RowStreamFetch
{
    public static async Task ReplayAsync(
        IObjectStore store, SnapshotManifest manifest, IReadOnlyList<IIdentity> identities, string rootPath, string dbPath, bool literalBackslashes,
        CancellationToken cancellationToken)
    {
        var csvPath = dbPath + ".csv";
        try
        {
            using (var root = MetadataConnection.OpenRoot(rootPath))
            {
                var (size, hash) = StreamTotals(root, manifest);
                await FetchAsync(store, identities, root, csvPath, size, hash, cancellationToken).ConfigureAwait(false);
                File.Delete(dbPath);
                PrivateFiles.EnsureFile(dbPath);
                using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = false, ForeignKeys = false }.ToString());
                db.Open();
                await using (var csv = new FileStream(csvPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
                {
                    RowStreamReplay.Replay(new RowStreamParser(csv), db, literalBackslashes);
                }

                CopyTables(root, db);
            }
        }
        catch (SqliteException ex)
        {
            throw new CorruptDataException($"cannot read snapshot metadata: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(csvPath);
        }
    }

    /// <summary>The stream's size and SHA-256 as the root gives them; refuses a size above the format's bound for <paramref name="manifest"/>.</summary>
    private static (long Size, Hash256 Hash) StreamTotals(SqliteConnection root, SnapshotManifest manifest)
    {
        string? Value(string key)
        {
            using var cmd = root.CreateCommand();
            cmd.CommandText = "SELECT value FROM snapshot WHERE key = $k;";
            cmd.Parameters.AddWithValue("$k", key);
            return cmd.ExecuteScalar() as string;
        }

        var sizeText = Value(RootDatabase.StreamSizeKey);
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || !Hash256.TryParse(Value(RootDatabase.StreamHashKey) ?? string.Empty, out var hash))
        {
            throw new CorruptDataException("cannot read snapshot metadata: the root object has no valid row_stream_size or row_stream_sha256");
        }

        var limit = MetadataDownloader.MaxPlainBytes(manifest);
        if (size > limit)
        {
            throw new CorruptDataException(
                $"cannot read snapshot metadata: its row stream claims {size} bytes, more than the limit of {limit} for a snapshot of {manifest.FileCount} entries and {manifest.TotalSize} bytes (docs/FORMAT.md)");
        }

        return (size, hash);
    }

    /// <summary>Runs of consecutive stream chunks in one blob at increasing offsets are read with one <see cref="BlobReader"/> call.</summary>
    private static async Task FetchAsync(
        IObjectStore store, IReadOnlyList<IIdentity> identities, SqliteConnection root, string csvPath, long size, Hash256 expected, CancellationToken cancellationToken)
    {
        await using var file = PrivateFiles.Open(csvPath, FileMode.Create, FileAccess.Write);
        using var hashing = new HashingWriteStream(file, leaveOpen: true);
        using var cmd = root.CreateCommand();
        cmd.CommandText = $"""
            SELECT s.seq, s.hash, s.blob_hash, s.frame_offset, s.frame_length, s.plain_length, b.size, {MetadataSql.BadChunk("s", "b")}
            FROM (SELECT seq AS id, * FROM stream_chunks) s LEFT JOIN blobs b ON b.hash = s.blob_hash ORDER BY s.seq;
            """;
        using var r = cmd.ExecuteReader();
        var run = new List<PackedChunk>();
        string? runBlob = null;
        long runBlobSize = 0, nextSeq = 0, total = 0;
        BlobReader? reader = null;

        async Task FlushAsync()
        {
            if (run.Count == 0)
            {
                return;
            }

            if (reader is null || reader.Hash.ToString() != runBlob)
            {
                reader = await BlobReader.OpenAsync(store, Hash256.Parse(runBlob!), runBlobSize, identities, cancellationToken).ConfigureAwait(false);
            }

            await reader.ReadChunksAsync(run, (_, data) => hashing.WriteAsync(data, cancellationToken), cancellationToken).ConfigureAwait(false);
            run.Clear();
        }

        while (r.Read())
        {
            if (r.GetFieldType(0) != typeof(long) || r.GetInt64(0) != nextSeq++)
            {
                throw new CorruptDataException($"cannot read snapshot metadata: stream_chunks is not numbered 0, 1, 2… (at seq {nextSeq - 1})");
            }

            if (r.GetInt64(7) != 0)
            {
                throw new CorruptDataException($"cannot read snapshot metadata: stream chunk {nextSeq - 1} has a malformed or impossible location");
            }

            var chunk = new PackedChunk(Hash256.Parse(r.GetString(1)), r.GetInt64(3), (int)r.GetInt64(4), (int)r.GetInt64(5));
            total += chunk.PlainLength;
            if (total > size)
            {
                throw new CorruptDataException($"cannot read snapshot metadata: its stream chunks hold more than the {size} bytes of row_stream_size");
            }

            var blob = r.GetString(2);
            if (blob != runBlob || (run.Count > 0 && chunk.FrameOffset < run[^1].FrameEnd))
            {
                await FlushAsync().ConfigureAwait(false);
                runBlob = blob;
                runBlobSize = r.GetInt64(6);
            }

            run.Add(chunk);
        }

        await FlushAsync().ConfigureAwait(false);
        if (total != size || hashing.GetHash() != expected)
        {
            throw new CorruptDataException("cannot read snapshot metadata: the row stream's size or SHA-256 does not match the root object");
        }
    }

    /// <summary>The snapshot table (format_version as stored) and the blobs table come from the root, row by row.</summary>
    private static void CopyTables(SqliteConnection root, SqliteConnection db)
    {
        using var tx = db.BeginTransaction();
        foreach (var (select, insert) in new[]
        {
            ("SELECT key, value FROM snapshot;", "INSERT INTO snapshot (key, value) VALUES ($a, $b);"),
            ("SELECT hash, size FROM blobs;", "INSERT INTO blobs (hash, size) VALUES ($a, $b);"),
        })
        {
            using var read = root.CreateCommand();
            read.CommandText = select;
            using var rows = read.ExecuteReader();
            using var write = db.CreateCommand();
            write.Transaction = tx;
            write.CommandText = insert;
            var a = write.Parameters.AddWithValue("$a", DBNull.Value);
            var b = write.Parameters.AddWithValue("$b", DBNull.Value);
            while (rows.Read())
            {
                a.Value = rows.GetValue(0);
                b.Value = rows.GetValue(1);
                write.ExecuteNonQuery();
            }
        }

        tx.Commit();
    }
}
