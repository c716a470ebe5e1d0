using Microsoft.Data.Sqlite;
using Vaultik.Core.Source;

namespace Vaultik.Core.Index;

/// <summary>
/// One snapshot's last recorded walk, read on its own read-only connection (the index is in WAL mode, so
/// this does not block the run's writes). Rows are in walk order; a directory's <c>span</c> counts its
/// descendants, so its subtree is one primary-key range. A row holds its name relative to the innermost
/// directory enclosing it in that order, and a non-directory its device XORed with that directory's: both are
/// undone while the range is read, with a stack of the open directories.
/// </summary>
public sealed class PreviousWalk : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly SqliteCommand _find;
    private readonly long _walk;

    internal PreviousWalk(SqliteConnection readOnly, long walk)
    {
        _walk = walk;
        _db = readOnly;
        _find = _db.CreateCommand();
        _find.CommandText = """
            SELECT w.seq, w.seq + w.span, w.type, w.inode, w.device, w.mtime_ns, w.mtime_ns + w.ctime_delta
            FROM walk_dirs d JOIN walks w ON w.walk = d.walk AND w.seq = d.seq WHERE d.walk = $w AND d.path = $p;
            """;
        _find.Parameters.AddWithValue("$w", walk);
        _find.Parameters.Add("$p", SqliteType.Text);
        _find.Prepare();
    }

    /// <summary>
    /// The subtree range of <paramref name="directory"/> when the recorded walk saw the same directory: same
    /// inode, device, mtime and ctime (a directory renamed, replaced, re-permissioned or with entries added or
    /// removed directly inside it does not match).
    /// </summary>
    public bool TryFindUnchangedDirectory(SourceEntry directory, out long seq, out long endSeq)
    {
        seq = endSeq = 0;
        _find.Parameters[1].Value = directory.FullPath;
        using var reader = _find.ExecuteReader();
        if (!reader.Read())
        {
            return false;
        }

        seq = reader.GetInt64(0);
        endSeq = reader.GetInt64(1);
        return (EntryType)reader.GetInt32(2) == EntryType.Directory
            && unchecked((ulong)reader.GetInt64(3)) == directory.Inode
            && unchecked((ulong)reader.GetInt64(4)) == directory.Device
            && reader.GetInt64(5) == directory.MtimeNs
            && reader.GetInt64(6) == directory.CtimeNs;
    }

    /// <summary>
    /// The entries recorded below <paramref name="directory"/> (found at <paramref name="seq"/> by
    /// <see cref="TryFindUnchangedDirectory"/>) up to <paramref name="endSeq"/>, in walk order, read lazily.
    /// </summary>
    public IEnumerable<SourceEntry> Range(SourceEntry directory, long seq, long endSeq)
    {
        using var select = _db.CreateCommand();
        select.CommandText = """
            SELECT seq, span, name, type, mode, uid, gid, size, mtime_ns, ctime_delta, inode, device, nlink, link_target
            FROM walks WHERE walk = $w AND seq > $s AND seq <= $e ORDER BY seq;
            """;
        select.Parameters.AddWithValue("$w", _walk);
        select.Parameters.AddWithValue("$s", seq);
        select.Parameters.AddWithValue("$e", endSeq);
        using var reader = select.ExecuteReader();
        var open = new Stack<(string Prefix, long EndSeq, ulong Device)>();
        open.Push((directory.FullPath == "/" ? "/" : directory.FullPath + "/", endSeq, directory.Device));
        while (reader.Read())
        {
            var entrySeq = reader.GetInt64(0);
            while (open.Count > 1 && open.Peek().EndSeq < entrySeq)
            {
                open.Pop();
            }

            var (prefix, _, parentDevice) = open.Peek();
            var fullPath = prefix + reader.GetString(2);
            var type = (EntryType)reader.GetInt32(3);
            var mtime = reader.GetInt64(8);
            var device = unchecked((ulong)reader.GetInt64(11));
            if (type == EntryType.Directory)
            {
                open.Push((fullPath + "/", entrySeq + reader.GetInt64(1), device));
            }
            else
            {
                device ^= parentDevice;
            }

            yield return new SourceEntry(
                fullPath.TrimStart('/'), fullPath, type, reader.GetInt32(4), reader.GetInt64(5), reader.GetInt64(6),
                reader.GetInt64(7), mtime, unchecked(mtime + reader.GetInt64(9)), unchecked((ulong)reader.GetInt64(10)), device,
                unchecked((ulong)reader.GetInt64(12)), reader.IsDBNull(13) ? null : reader.GetString(13));
        }
    }

    public void Dispose()
    {
        _find.Dispose();
        _db.Dispose();
    }
}
