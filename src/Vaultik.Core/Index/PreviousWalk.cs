using Microsoft.Data.Sqlite;
using Vaultik.Core.Source;

namespace Vaultik.Core.Index;

/// <summary>
/// One snapshot's last recorded walk, read on its own read-only connection (the index is in WAL mode, so
/// this does not block the run's writes). Rows are in walk order; a directory's <c>end_seq</c> is the
/// sequence number of its last descendant, so its subtree is one primary-key range.
/// </summary>
public sealed class PreviousWalk : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly SqliteCommand _find;
    private readonly string _name;

    internal PreviousWalk(SqliteConnection readOnly, string name)
    {
        _name = name;
        _db = readOnly;
        _find = _db.CreateCommand();
        _find.CommandText = "SELECT seq, end_seq, type, inode, device, mtime_ns, ctime_ns FROM walks WHERE name = $n AND path = $p;";
        _find.Parameters.AddWithValue("$n", name);
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

    /// <summary>The entries recorded after <paramref name="seq"/> up to <paramref name="endSeq"/>, in walk order, read lazily.</summary>
    public IEnumerable<SourceEntry> Range(long seq, long endSeq)
    {
        using var select = _db.CreateCommand();
        select.CommandText = """
            SELECT path, type, mode, uid, gid, size, mtime_ns, ctime_ns, inode, device, nlink, link_target
            FROM walks WHERE name = $n AND seq > $s AND seq <= $e ORDER BY seq;
            """;
        select.Parameters.AddWithValue("$n", _name);
        select.Parameters.AddWithValue("$s", seq);
        select.Parameters.AddWithValue("$e", endSeq);
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var fullPath = reader.GetString(0);
            yield return new SourceEntry(
                fullPath.TrimStart('/'), fullPath, (EntryType)reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), unchecked((ulong)reader.GetInt64(8)), unchecked((ulong)reader.GetInt64(9)),
                unchecked((ulong)reader.GetInt64(10)), reader.IsDBNull(11) ? null : reader.GetString(11));
        }
    }

    public void Dispose()
    {
        _find.Dispose();
        _db.Dispose();
    }
}
