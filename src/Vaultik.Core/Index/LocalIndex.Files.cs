using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Index;

public sealed partial class LocalIndex
{
    private SqliteCommand? _findFile;

    /// <summary>The last backed-up state of a source path, or null. One indexed lookup per file.</summary>
    public IndexedFile? FindFile(string path)
    {
        lock (_writeLock)
        {
            if (_findFile is null)
            {
                _findFile = _db.CreateCommand();
                _findFile.CommandText = "SELECT size, mtime_ns, ctime_ns, inode, device, chunks FROM files WHERE path = $p;";
                _findFile.Parameters.Add("$p", SqliteType.Text);
                _findFile.Prepare();
            }

            _findFile.Parameters[0].Value = path;
            using var reader = _findFile.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return new IndexedFile(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2),
                unchecked((ulong)reader.GetInt64(3)), unchecked((ulong)reader.GetInt64(4)),
                IndexedFile.UnpackChunks((byte[])reader[5]));
        }
    }

    /// <summary>
    /// Copies the source-file fingerprints staged beside a snapshot's metadata (table <c>_stat</c> of the
    /// side database) into the index, in one transaction. Called after the snapshot's manifest is stored.
    /// </summary>
    public void ImportFileStates(string sideDbPath)
    {
        lock (_writeLock)
        {
            using var attach = _db.CreateCommand();
            attach.CommandText = "ATTACH DATABASE $p AS side;";
            attach.Parameters.AddWithValue("$p", sideDbPath);
            attach.ExecuteNonQuery();
            try
            {
                using var tx = _db.BeginTransaction();
                using var copy = _db.CreateCommand();
                copy.Transaction = tx;
                copy.CommandText = "INSERT OR REPLACE INTO files (path, size, mtime_ns, ctime_ns, inode, device, chunks) SELECT path, size, mtime_ns, ctime_ns, inode, device, chunks FROM side._stat;";
                copy.ExecuteNonQuery();
                tx.Commit();
            }
            finally
            {
                using var detach = _db.CreateCommand();
                detach.CommandText = "DETACH DATABASE side;";
                detach.ExecuteNonQuery();
            }
        }
    }

    /// <summary>
    /// Fills a snapshot database's <c>chunks</c> and <c>blobs</c> tables with the stored locations of every chunk
    /// listed in the side database's <c>_refs</c> table; returns how many referenced chunks had no location.
    /// </summary>
    internal long ExportChunkLocations(string metadataDbPath, string sideDbPath)
    {
        lock (_writeLock)
        {
            using var attach = _db.CreateCommand();
            attach.CommandText = "ATTACH DATABASE $p AS snap; ATTACH DATABASE $q AS side;";
            attach.Parameters.AddWithValue("$p", metadataDbPath);
            attach.Parameters.AddWithValue("$q", sideDbPath);
            attach.ExecuteNonQuery();
            try
            {
                using var tx = _db.BeginTransaction();
                using var copy = _db.CreateCommand();
                copy.Transaction = tx;
                copy.CommandText = """
                    INSERT INTO snap.blobs (hash, size)
                      SELECT lower(hex(b.hash)), b.size FROM blobs b
                      WHERE b.hash IN (SELECT DISTINCT c.blob_hash FROM side._refs r JOIN chunks c ON c.hash = r.hash);
                    INSERT INTO snap.chunks (hash, blob_hash, frame_offset, frame_length, plain_length)
                      SELECT lower(hex(c.hash)), lower(hex(c.blob_hash)), c.frame_offset, c.frame_length, c.plain_length
                      FROM side._refs r JOIN chunks c ON c.hash = r.hash;
                    """;
                copy.ExecuteNonQuery();
                using var count = _db.CreateCommand();
                count.Transaction = tx;
                count.CommandText = "SELECT (SELECT count(*) FROM side._refs) - (SELECT count(*) FROM snap.chunks);";
                var missing = (long)count.ExecuteScalar()!;
                tx.Commit();
                return missing;
            }
            finally
            {
                using var detach = _db.CreateCommand();
                detach.CommandText = "DETACH DATABASE snap; DETACH DATABASE side;";
                detach.ExecuteNonQuery();
            }
        }
    }
}
