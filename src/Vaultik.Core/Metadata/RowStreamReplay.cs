using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Vaultik.Core.Layout;
using Vaultik.Core.Util;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Rebuilds the v2-schema snapshot database (<see cref="MetadataSchema"/>) from a <see cref="RowStream"/>, which
/// is the store's and so possibly an attacker's: ids are assigned in stream order, chunks deduplicated by hash
/// through a unique index (memory stays bounded: no in-memory chunk map), and every row is judged first. An entry
/// row must name a valid path (<see cref="SnapshotPathRule"/>) not seen before, a known type and strict decimal
/// numbers, and its xattrs field (format 4) the canonical encoding of <see cref="XattrColumn"/>; a chunk row must follow its regular file's entry row, with seq 0, 1, 2… and a location of the
/// format's shape; one hash must always have the same location.
/// </summary>
public static class RowStreamReplay
{
    private const int BatchSize = 4000;

    /// <summary>
    /// Replays <paramref name="parser"/>'s rows into a new database at <paramref name="dbPath"/> (its tables created
    /// first). With <paramref name="literalBackslashes"/> (a format 3 stream, whose names are UTF-8 text with '\'
    /// literal) names are turned into the escaped form the program uses (<see cref="Platform.RawName"/>).
    /// </summary>
    public static void Replay(RowStreamParser parser, SqliteConnection db, bool literalBackslashes = false)
    {
        string? Name(string field) => field.Length == 0 ? null : literalBackslashes ? field.Replace("\\", "\\\\", StringComparison.Ordinal) : field;

        Exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
        Exec(db, MetadataSchema.Create);
        Exec(db, "CREATE UNIQUE INDEX _chunks_by_hash ON chunks (hash);");
        parser.ReadHeader();
        var tx = db.BeginTransaction();
        using var insertFile = new FastStatement(db, "INSERT INTO files (id, path, type, mode, uid, gid, size, mtime_ns, link_target, hardlink_to) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);");
        using var findPath = new FastStatement(db, "SELECT 1 FROM files WHERE path = ?1;");
        using var findChunk = new FastStatement(db, "SELECT id FROM chunks WHERE hash = ?1 AND blob_hash = ?2 AND frame_offset = ?3 AND frame_length = ?4 AND plain_length = ?5;");
        using var insertChunk = new FastStatement(db, "INSERT INTO chunks (id, hash, blob_hash, frame_offset, frame_length, plain_length) VALUES (?1, ?2, ?3, ?4, ?5, ?6);");
        using var insertFileChunk = new FastStatement(db, "INSERT INTO file_chunks (file_id, seq, chunk_id) VALUES (?1, ?2, ?3);");
        using var insertXattr = new FastStatement(db, "INSERT INTO xattrs (file_id, name, value) VALUES (?1, ?2, ?3);");
        var f = parser.Fields;
        long fileId = 0, chunkId = 0, nextSeq = -1, pending = 0;
        string path = string.Empty, rowPath = string.Empty;
        try
        {
            while (parser.Next())
            {
                if (f[1].Length != 0)
                {
                    RequireEmpty(parser, 9, 14, "an entry row");
                    rowPath = f[0];
                    path = Name(rowPath)!;
                    if (SnapshotPathRule.Find(path) is { } fault)
                    {
                        throw parser.Error($"the path {Quote(path)} breaks the path rule ({fault.Fault})");
                    }

                    findPath.Bind(1, path);
                    var seen = findPath.Step();
                    findPath.Reset();
                    if (seen)
                    {
                        throw parser.Error($"the path {Quote(path)} appears twice");
                    }

                    var type = f[1];
                    if (type is not (MetadataSchema.TypeFile or MetadataSchema.TypeDirectory or MetadataSchema.TypeSymlink))
                    {
                        throw parser.Error($"unknown type {Quote(type)}");
                    }

                    var link = Name(f[7]);
                    var hardlink = Name(f[8]);
                    if ((type == MetadataSchema.TypeSymlink) != (link is not null) || (hardlink is not null && type != MetadataSchema.TypeFile))
                    {
                        throw parser.Error("link_target or hardlink_to does not fit the entry's type");
                    }

                    insertFile.Bind(1, ++fileId).Bind(2, path).Bind(3, type).Bind(4, Number(parser, 2)).Bind(5, Number(parser, 3)).Bind(6, Number(parser, 4))
                        .Bind(7, Number(parser, 5)).Bind(8, Number(parser, 6)).Bind(9, link).Bind(10, hardlink).Execute();
                    var attributes = XattrColumn.Decode(f[RowStream.XattrsColumn], out var attributeError)
                        ?? throw parser.Error($"the xattrs of {Quote(path)}: {attributeError}");
                    foreach (var attribute in attributes)
                    {
                        insertXattr.Bind(1, fileId).BindBlob(2, attribute.Name).BindBlob(3, attribute.Value).Execute();
                    }
                    nextSeq = type == MetadataSchema.TypeFile && hardlink is null ? 0 : -1;
                }
                else
                {
                    RequireEmpty(parser, 1, 8, "a chunk row");
                    RequireEmpty(parser, RowStream.XattrsColumn, RowStream.XattrsColumn, "a chunk row");
                    if (nextSeq < 0 || !string.Equals(f[0], rowPath, StringComparison.Ordinal))
                    {
                        throw parser.Error("a chunk row that does not follow its regular file's entry row");
                    }

                    if (Number(parser, 9) != nextSeq)
                    {
                        throw parser.Error($"chunk seq {f[9]} where {nextSeq} was due");
                    }

                    nextSeq++;
                    var hash = HashField(parser, 10);
                    var blob = HashField(parser, 11);
                    var (offset, frame, plain) = (Number(parser, 12), Number(parser, 13), Number(parser, 14));
                    findChunk.Bind(1, hash).Bind(2, blob).Bind(3, offset).Bind(4, frame).Bind(5, plain);
                    long id;
                    if (findChunk.Step())
                    {
                        id = findChunk.Int64(0);
                        findChunk.Reset();
                    }
                    else
                    {
                        findChunk.Reset();
                        try
                        {
                            insertChunk.Bind(1, id = ++chunkId).Bind(2, hash).Bind(3, blob).Bind(4, offset).Bind(5, frame).Bind(6, plain).Execute();
                        }
                        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
                        {
                            throw parser.Error($"chunk {hash} is given two different locations");
                        }
                    }

                    insertFileChunk.Bind(1, fileId).Bind(2, nextSeq - 1).Bind(3, id).Execute();
                }

                if (++pending == BatchSize)
                {
                    tx.Commit();
                    tx.Dispose();
                    tx = db.BeginTransaction();
                    pending = 0;
                }
            }

            tx.Commit();
        }
        finally
        {
            tx.Dispose();
        }

        Exec(db, "DROP INDEX _chunks_by_hash;");
    }

    private static void RequireEmpty(RowStreamParser parser, int from, int to, string what)
    {
        for (var i = from; i <= to; i++)
        {
            if (parser.Fields[i].Length != 0 || parser.Quoted[i])
            {
                throw parser.Error($"{what} with a value in column {RowStream.Columns[i]}");
            }
        }
    }

    /// <summary>A decimal integer without sign '+', leading zeros or spaces, within 64 bits.</summary>
    private static long Number(RowStreamParser parser, int column)
    {
        var text = parser.Fields[column];
        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        if (parser.Quoted[column] || digits.Length == 0 || (digits[0] == '0' && (digits.Length > 1 || text.Length > 1)) || digits.ContainsAnyExceptInRange('0', '9')
            || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw parser.Error($"column {RowStream.Columns[column]} is not a decimal integer: {Quote(text)}");
        }

        return value;
    }

    private static string HashField(RowStreamParser parser, int column)
    {
        var text = parser.Fields[column];
        if (parser.Quoted[column] || text.Length != 64 || text.AsSpan().ContainsAnyExcept("0123456789abcdef"))
        {
            throw parser.Error($"column {RowStream.Columns[column]} is not a SHA-256 in lowercase hex");
        }

        return text;
    }

    /// <summary>A value for an error line: at most 80 characters, control characters escaped (the line stays one line).</summary>
    private static string Quote(string text)
    {
        var shown = text.Length <= 80 ? text : text[..80];
        var escaped = new StringBuilder(shown.Length + 2).Append('\'');
        foreach (var c in shown)
        {
            escaped.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        }

        return escaped.Append(text.Length <= 80 ? "'" : "…'").ToString();
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
