using Microsoft.Data.Sqlite;
using Vaultik.Core.Source;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Create;

/// <summary>
/// Stages every entry a snapshot's walk yields, in order, in a local database (table <c>_walk</c>), with each
/// directory's <c>end_seq</c> (its last descendant) so a later incremental walk can reuse a whole subtree as
/// one range. Imported into the index once the snapshot is stored (<see cref="Index.WalkRecords.Import"/>).
/// </summary>
internal sealed class WalkRecorder : IDisposable
{
    private const int BatchSize = 8000;
    private readonly SqliteConnection _db;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _close;
    private readonly Stack<(string Prefix, long Seq)> _open = new();
    private SqliteTransaction _tx;
    private long _seq;
    private int _pending;
    private bool _completed;

    public WalkRecorder(string directory)
    {
        DbPath = Path.Combine(directory, "walk.db");
        File.Delete(DbPath);
        PrivateFiles.EnsureFile(DbPath);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false, ForeignKeys = false }.ToString());
        _db.Open();
        using (var create = _db.CreateCommand())
        {
            create.CommandText = """
                PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
                CREATE TABLE _walk (seq INTEGER PRIMARY KEY, end_seq INTEGER NOT NULL, path TEXT NOT NULL, type INTEGER NOT NULL,
                    mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, device INTEGER NOT NULL, nlink INTEGER NOT NULL, link_target TEXT);
                """;
            create.ExecuteNonQuery();
        }

        _tx = _db.BeginTransaction();
        _insert = _db.CreateCommand();
        _insert.CommandText = """
            INSERT INTO _walk (seq, end_seq, path, type, mode, uid, gid, size, mtime_ns, ctime_ns, inode, device, nlink, link_target)
            VALUES ($s, $s, $p, $t, $m, $u, $g, $z, $mt, $ct, $i, $d, $n, $l);
            """;
        foreach (var name in new[] { "$s", "$p", "$t", "$m", "$u", "$g", "$z", "$mt", "$ct", "$i", "$d", "$n", "$l" })
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _close = _db.CreateCommand();
        _close.CommandText = "UPDATE _walk SET end_seq = $e WHERE seq = $s;";
        _close.Parameters.Add(new SqliteParameter { ParameterName = "$e" });
        _close.Parameters.Add(new SqliteParameter { ParameterName = "$s" });
        Retarget();
    }

    public string DbPath { get; }

    public void Add(SourceEntry entry)
    {
        var seq = ++_seq;
        while (_open.Count > 0 && !entry.FullPath.StartsWith(_open.Peek().Prefix, StringComparison.Ordinal))
        {
            CloseDirectory(_open.Pop().Seq, seq - 1);
        }

        var values = new object[]
        {
            seq, entry.FullPath, (int)entry.Type, entry.Mode, entry.Uid, entry.Gid, entry.Size, entry.MtimeNs, entry.CtimeNs,
            unchecked((long)entry.Inode), unchecked((long)entry.Device), unchecked((long)entry.LinkCount), (object?)entry.LinkTarget ?? DBNull.Value,
        };
        for (var i = 0; i < values.Length; i++)
        {
            _insert.Parameters[i].Value = values[i];
        }

        _insert.ExecuteNonQuery();
        if (entry.Type == EntryType.Directory)
        {
            _open.Push((entry.FullPath == "/" ? "/" : entry.FullPath + "/", seq));
        }

        if (++_pending >= BatchSize)
        {
            _tx.Commit();
            _tx.Dispose();
            _tx = _db.BeginTransaction();
            Retarget();
        }
    }

    /// <summary>Closes the open directories and commits; the database is complete after this.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        while (_open.Count > 0)
        {
            CloseDirectory(_open.Pop().Seq, _seq);
        }

        _tx.Commit();
        _tx.Dispose();
        _db.Close();
    }

    private void CloseDirectory(long seq, long endSeq)
    {
        _close.Parameters[0].Value = endSeq;
        _close.Parameters[1].Value = seq;
        _close.ExecuteNonQuery();
    }

    private void Retarget()
    {
        _insert.Transaction = _tx;
        _close.Transaction = _tx;
        _pending = 0;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _close.Dispose();
        if (!_completed)
        {
            _tx.Dispose();
        }

        _db.Dispose();
    }
}
