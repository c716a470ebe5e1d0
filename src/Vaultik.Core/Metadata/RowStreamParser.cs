using System.Text;

namespace Vaultik.Core.Metadata;

/// <summary>
/// A strict streaming reader of the <see cref="RowStream"/> CSV, which comes from the store and so possibly from
/// an attacker: RFC 4180 quoting only (a quote inside an unquoted field, text after a closing quote, a bare CR, a
/// missing final newline are refused), valid UTF-8, exactly the header's column count, and no field above
/// <see cref="RowStream.MaxFieldBytes"/> or row above <see cref="RowStream.MaxRowBytes"/>. Rows are numbered from 1
/// (the header) in every refusal.
/// </summary>
public sealed class RowStreamParser
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);
    private readonly Stream _input;
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly byte[] _field = new byte[RowStream.MaxFieldBytes];
    private int _position;
    private bool _header;
    private int _count;
    private int _end;
    private bool _eof;

    public RowStreamParser(Stream input) => _input = input;

    /// <summary>The number of the row last read (1 is the header).</summary>
    public long Row { get; private set; }

    /// <summary>Fields of the row last read, <see cref="RowStream.Columns"/> of them (in a format 3 stream the last is always empty).</summary>
    public string[] Fields { get; } = new string[RowStream.Columns.Length];

    /// <summary>Whether each field of the row last read was quoted.</summary>
    public bool[] Quoted { get; } = new bool[RowStream.Columns.Length];

    /// <summary>How many fields each row has: 16 (format 4) or, after a format 3 header, 15 (its <c>xattrs</c> field then reads as empty).</summary>
    public int ColumnCount { get; private set; } = RowStream.Columns.Length;

    /// <summary>Reads and checks the header line (format 4's, or format 3's); refuses a stream that does not start with either.</summary>
    public void ReadHeader()
    {
        _header = true;
        var read = Next();
        _header = false;
        if (read && _count == RowStream.Columns.Length && Fields.SequenceEqual(RowStream.Columns))
        {
            ColumnCount = RowStream.Columns.Length;
            return;
        }

        if (read && _count == RowStream.ColumnsV3.Length && Fields.Take(_count).SequenceEqual(RowStream.ColumnsV3))
        {
            ColumnCount = RowStream.ColumnsV3.Length;
            Fields[RowStream.XattrsColumn] = string.Empty;
            Quoted[RowStream.XattrsColumn] = false;
            return;
        }

        throw Error("the header is not the format's");
    }

    /// <summary>Reads the next row into <see cref="Fields"/>; false at the end of the stream.</summary>
    public bool Next()
    {
        if (Peek() < 0)
        {
            return false;
        }

        Row++;
        var rowBytes = 0;
        var count = 0;
        while (true)
        {
            if (count == (_header ? Fields.Length : ColumnCount))
            {
                throw Error($"more than {(_header ? Fields.Length : ColumnCount)} fields");
            }

            var length = 0;
            var quoted = Peek() == '"';
            if (quoted)
            {
                Take();
            }

            int b;
            while (true)
            {
                b = Take();
                if (b < 0)
                {
                    throw Error(quoted ? "a quoted field is not closed" : "the last row does not end with a newline");
                }

                rowBytes++;
                if (quoted && b == '"')
                {
                    if (Peek() != '"')
                    {
                        b = Take();
                        if (b is not (',' or '\n'))
                        {
                            throw Error(b < 0 ? "the last row does not end with a newline" : "text after a closing quote");
                        }

                        break;
                    }

                    Take();
                }
                else if (!quoted && b is ',' or '\n')
                {
                    break;
                }
                else if (!quoted && b is '"' or '\r')
                {
                    throw Error(b == '"' ? "a quote inside an unquoted field" : "a carriage return outside quotes");
                }

                if (length == _field.Length)
                {
                    throw Error($"a field longer than {RowStream.MaxFieldBytes} bytes");
                }

                _field[length++] = (byte)b;
            }

            if ((rowBytes += 2) > RowStream.MaxRowBytes)
            {
                throw Error($"a row longer than {RowStream.MaxRowBytes} bytes");
            }

            try
            {
                Fields[count] = length == 0 ? string.Empty : Strict.GetString(_field, 0, length);
            }
            catch (DecoderFallbackException)
            {
                throw Error("a field is not valid UTF-8");
            }

            Quoted[count++] = quoted;
            if (b == '\n')
            {
                break;
            }
        }

        _count = count;
        if (!_header && count != ColumnCount)
        {
            throw Error($"{count} fields, not {ColumnCount}");
        }

        return true;
    }

    public CorruptDataException Error(string reason) =>
        new($"cannot read snapshot metadata: row {Math.Max(1, Row)} of the row stream: {reason}");

    private int Peek()
    {
        if (_position == _end && !Fill())
        {
            return -1;
        }

        return _buffer[_position];
    }

    private int Take()
    {
        if (_position == _end && !Fill())
        {
            return -1;
        }

        return _buffer[_position++];
    }

    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        _position = 0;
        _end = _input.Read(_buffer, 0, _buffer.Length);
        _eof = _end == 0;
        return !_eof;
    }
}
