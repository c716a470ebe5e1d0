using Microsoft.Data.Sqlite;
using Vaultik.Core.Util;

namespace Vaultik.Core.Index;

/// <summary>
/// One import of a snapshot's staged fingerprints (attached as <c>side</c>, table <c>_stat</c>: full relative
/// path, stat fields and the chunk list as 32-byte hashes) into <c>dirs</c> and <c>files</c>. Rows are read in
/// path order, so each directory's id is found or created once; each chunk hash becomes its id in
/// <c>chunks</c>. A file with a chunk the index does not hold is not recorded (and an older row of it is
/// removed), so it is read again next time. A file's device is stored XORed with its directory's (recorded
/// from the directory's first file), which makes it 0, stored in no bytes, for all but bind-mounted files.
/// Runs inside the caller's transaction.
/// </summary>
internal sealed class FingerprintImport
{
    private readonly SqliteConnection _db;
    private byte[] _dir = [];
    private long _dirId;
    private long _dirDevice;

    public FingerprintImport(SqliteConnection db) => _db = db;

    public int Run()
    {
        using var rows = new FastStatement(_db, "SELECT path, size, mtime_ns, ctime_ns, inode, device, chunks FROM side._stat ORDER BY path;");
        using var addDir = new FastStatement(_db, "INSERT INTO dirs (path, device) VALUES (?1, ?2) ON CONFLICT (path) DO UPDATE SET path = path RETURNING id, device;");
        using var findChunk = new FastStatement(_db, $"SELECT id FROM chunks c WHERE {IndexSchema.ChunkByHash};");
        using var put = new FastStatement(_db, "INSERT OR REPLACE INTO files (dir, name, size, mtime_ns, ctime_delta, inode, device, chunks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);");
        using var drop = new FastStatement(_db, "DELETE FROM files WHERE dir = ?1 AND name = ?2;");
        var recorded = 0;
        var ids = new byte[64];
        var first = true;
        while (rows.Step())
        {
            var path = rows.Blob(0);
            var slash = path.LastIndexOf((byte)'/');
            var dir = slash < 0 ? ReadOnlySpan<byte>.Empty : path[..slash];
            var name = path[(slash + 1)..];
            if (first || !dir.SequenceEqual(_dir))
            {
                first = false;
                _dir = dir.ToArray();
                addDir.BindUtf8(1, _dir).Bind(2, rows.Int64(5));
                addDir.Step();
                _dirId = addDir.Int64(0);
                _dirDevice = addDir.Int64(1);
                addDir.Reset();
            }

            var hashes = rows.Blob(6);
            var count = hashes.Length / Hash256.Size;
            if (ids.Length < count * ChunkIdList.MaxBytesPerId)
            {
                ids = new byte[count * ChunkIdList.MaxBytesPerId];
            }

            var length = 0;
            var complete = hashes.Length % Hash256.Size == 0;
            for (var i = 0; complete && i < count; i++)
            {
                findChunk.BindBlob(1, hashes.Slice(i * Hash256.Size, Hash256.Size));
                complete = findChunk.Step();
                if (complete)
                {
                    length = ChunkIdList.Write(ids, length, findChunk.Int64(0));
                }

                findChunk.Reset();
            }

            if (!complete)
            {
                drop.Bind(1, _dirId).BindUtf8(2, name).Execute();
                continue;
            }

            var mtime = rows.Int64(2);
            put.Bind(1, _dirId).BindUtf8(2, name).Bind(3, rows.Int64(1)).Bind(4, mtime).Bind(5, unchecked(rows.Int64(3) - mtime))
                .Bind(6, rows.Int64(4)).Bind(7, rows.Int64(5) ^ _dirDevice).BindBlob(8, ids.AsSpan(0, length)).Execute();
            recorded++;
        }

        rows.Reset();
        return recorded;
    }
}
