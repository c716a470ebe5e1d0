using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Vaultik.Core.Metadata;

/// <summary>
/// Writes a snapshot database (the v2 schema of <see cref="MetadataSchema"/>) as its canonical
/// <see cref="RowStream"/>: one ordered SELECT over files joined to their chunks, so the same rows always give
/// the same bytes and an unchanged entry's rows are identical in every snapshot (no per-snapshot ids).
/// </summary>
public static class RowStreamWriter
{
    public static void Write(string snapshotDbPath, Stream output)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshotDbPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.Write(string.Join(',', RowStream.Columns));
        writer.Write('\n');
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT f.id, f.path, f.type, f.mode, f.uid, f.gid, f.size, f.mtime_ns, f.link_target, f.hardlink_to,
                   fc.seq, c.hash, c.blob_hash, c.frame_offset, c.frame_length, c.plain_length
            FROM files f LEFT JOIN file_chunks fc ON fc.file_id = f.id LEFT JOIN chunks c ON c.id = fc.chunk_id
            ORDER BY f.id, fc.seq;
            """;
        using var r = cmd.ExecuteReader();
        using var attributes = new AttributeCursor(db);
        long previous = 0;
        string path = string.Empty;
        while (r.Read())
        {
            var id = r.GetInt64(0);
            if (id != previous)
            {
                previous = id;
                path = r.GetString(1);
                Field(writer, path);
                writer.Write(',');
                Field(writer, r.GetString(2));
                for (var i = 3; i <= 7; i++)
                {
                    writer.Write(',');
                    Number(writer, r.GetInt64(i));
                }

                writer.Write(',');
                Field(writer, r.IsDBNull(8) ? null : r.GetString(8));
                writer.Write(',');
                Field(writer, r.IsDBNull(9) ? null : r.GetString(9));
                writer.Write(",,,,,,,");
                writer.Write(XattrColumn.Encode(attributes.Of(id)));
                writer.Write('\n');
            }

            if (!r.IsDBNull(10))
            {
                if (r.IsDBNull(11))
                {
                    throw new VaultikException($"cannot write the row stream: a chunk of {path} has no stored location");
                }

                Field(writer, path);
                writer.Write(",,,,,,,,,");
                Number(writer, r.GetInt64(10));
                writer.Write(',');
                writer.Write(r.GetString(11));
                writer.Write(',');
                writer.Write(r.GetString(12));
                for (var i = 13; i <= 15; i++)
                {
                    writer.Write(',');
                    Number(writer, r.GetInt64(i));
                }

                writer.Write(",\n");
            }
        }
    }

    /// <summary>A text field, quoted (quotes doubled) when it holds a comma, quote, CR or LF; null is the empty field.</summary>
    public static void Field(TextWriter writer, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        var rest = value.AsSpan();
        for (var quote = rest.IndexOf('"'); quote >= 0; quote = rest.IndexOf('"'))
        {
            writer.Write(rest[..(quote + 1)]);
            writer.Write('"');
            rest = rest[(quote + 1)..];
        }

        writer.Write(rest);
        writer.Write('"');
    }

    private static void Number(TextWriter writer, long value)
    {
        Span<char> digits = stackalloc char[24];
        value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        writer.Write(digits[..n]);
    }
}
