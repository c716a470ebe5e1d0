using Microsoft.Data.Sqlite;
using Vaultik.Core.Source;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Create;

/// <summary>
/// Stages every entry a snapshot's walk yields, in order, in a local database in the index's compact form
/// (table <c>_walk</c>: the name relative to the innermost enclosing directory, a directory's <c>span</c> to
/// its last descendant so a later incremental walk can reuse a whole subtree as one range, ctime as a delta
/// from mtime, a non-directory's device XORed with its directory's; table <c>_walk_dirs</c>: each directory's
/// full path and sequence number). Imported into the index once the snapshot is stored
/// (<see cref="Index.WalkRecords.Import"/>).
/// </summary>
internal sealed class WalkRecorder : IDisposable
{
    private const int BatchSize = 8000;
    private readonly SqliteConnection _db;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _insertDir;
    private readonly SqliteCommand _close;
    private readonly Stack<(string Prefix, long Seq, ulong Device)> _open = new();
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
                CREATE TABLE _walk (seq INTEGER PRIMARY KEY, span INTEGER NOT NULL, name TEXT NOT NULL, type INTEGER NOT NULL,
                    mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    ctime_delta INTEGER NOT NULL, inode INTEGER NOT NULL, device INTEGER NOT NULL, nlink INTEGER NOT NULL, link_target TEXT);
                CREATE TABLE _walk_dirs (path TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
                """;
            create.ExecuteNonQuery();
        }

        _tx = _db.BeginTransaction();
        _insert = Command("""
            INSERT INTO _walk (seq, span, name, type, mode, uid, gid, size, mtime_ns, ctime_delta, inode, device, nlink, link_target)
            VALUES ($s, 0, $p, $t, $m, $u, $g, $z, $mt, $ct, $i, $d, $n, $l);
            """, "$s", "$p", "$t", "$m", "$u", "$g", "$z", "$mt", "$ct", "$i", "$d", "$n", "$l");
        _insertDir = Command("INSERT OR REPLACE INTO _walk_dirs (path, seq) VALUES ($p, $s);", "$p", "$s");
        _close = Command("UPDATE _walk SET span = $e - seq WHERE seq = $s;", "$e", "$s");
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

        var (prefix, parentDevice) = _open.Count > 0 ? (_open.Peek().Prefix, _open.Peek().Device) : (string.Empty, 0UL);
        var isDirectory = entry.Type == EntryType.Directory;
        var values = new object[]
        {
            seq, entry.FullPath[prefix.Length..], (int)entry.Type, entry.Mode, entry.Uid, entry.Gid, entry.Size, entry.MtimeNs,
            unchecked(entry.CtimeNs - entry.MtimeNs), unchecked((long)entry.Inode), unchecked((long)(isDirectory ? entry.Device : entry.Device ^ parentDevice)),
            unchecked((long)entry.LinkCount), (object?)entry.LinkTarget ?? DBNull.Value,
        };
        for (var i = 0; i < values.Length; i++)
        {
            _insert.Parameters[i].Value = values[i];
        }

        _insert.ExecuteNonQuery();
        if (isDirectory)
        {
            _insertDir.Parameters[0].Value = entry.FullPath;
            _insertDir.Parameters[1].Value = seq;
            _insertDir.ExecuteNonQuery();
            _open.Push((entry.FullPath == "/" ? "/" : entry.FullPath + "/", seq, entry.Device));
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

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
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
        _insertDir.Transaction = _tx;
        _close.Transaction = _tx;
        _pending = 0;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _insertDir.Dispose();
        _close.Dispose();
        if (!_completed)
        {
            _tx.Dispose();
        }

        _db.Dispose();
    }
}
