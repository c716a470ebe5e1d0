using Microsoft.Data.Sqlite;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Walks a snapshot database's <c>xattrs</c> table in (file id, name) order beside the files, so the row stream
/// writer gets each entry's attributes without a query per entry (ids must be asked for in ascending order).
/// </summary>
internal sealed class AttributeCursor : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteDataReader _reader;
    private bool _has;

    public AttributeCursor(SqliteConnection db)
    {
        _command = db.CreateCommand();
        _command.CommandText = "SELECT file_id, name, value FROM xattrs ORDER BY file_id, name;";
        _reader = _command.ExecuteReader();
        _has = _reader.Read();
    }

    /// <summary>The attributes of file <paramref name="fileId"/>, in name-byte order; skips those of lower ids.</summary>
    public List<ExtendedAttribute> Of(long fileId)
    {
        var list = new List<ExtendedAttribute>();
        while (_has && _reader.GetInt64(0) < fileId)
        {
            _has = _reader.Read();
        }

        while (_has && _reader.GetInt64(0) == fileId)
        {
            list.Add(new ExtendedAttribute((byte[])_reader.GetValue(1), (byte[])_reader.GetValue(2)));
            _has = _reader.Read();
        }

        return list;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _command.Dispose();
    }
}
