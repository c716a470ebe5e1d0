using System.Text;
using Vaultik.Shared;

namespace Vaultik.Age;

/// <summary>Strict, line-at-a-time decoder of age armor (see <see cref="AgeArmor"/>).</summary>
internal sealed class ArmorDecodeStream : ReadOnlyStream
{
    private const int Columns = 64;
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private byte[] _decoded = [];
    private int _offset;
    private bool _begun;
    private bool _ended;
    private bool _sawShortLine;
    private int _pending = -1;

    public ArmorDecodeStream(Stream input, bool leaveOpen)
    {
        _input = input;
        _leaveOpen = leaveOpen;
    }

    public override int Read(Span<byte> buffer)
    {
        while (_offset == _decoded.Length)
        {
            if (_ended)
            {
                return 0;
            }

            NextLine();
        }

        var n = Math.Min(buffer.Length, _decoded.Length - _offset);
        _decoded.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

        private void NextLine()
    {
        if (!_begun)
        {
            SkipWhitespace();
            var first = ReadLine(requireEol: true) ?? throw Fail("the armored file is empty");
            if (first != AgeArmor.Begin)
            {
                throw Fail("the armor does not start with the BEGIN AGE ENCRYPTED FILE line");
            }

            _begun = true;
            return;
        }

        var line = ReadLine(requireEol: false) ?? throw Fail("the armor has no END line");
        if (line == AgeArmor.End)
        {
            _ended = true;
            _decoded = [];
            _offset = 0;
            SkipWhitespace();
            if (NextByte() >= 0)
            {
                throw Fail("there is data after the armor's END line");
            }

            return;
        }

        if (_sawShortLine)
        {
            throw Fail("a short armor line must be the last one");
        }

        if (line.Length == 0 || line.Length > Columns || line.Length % 4 != 0)
        {
            throw Fail("an armor line has the wrong length");
        }

        _sawShortLine = line.Length < Columns || line.EndsWith('=');
        foreach (var c in line)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                throw Fail("an armor line has a character outside base64");
            }
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(line);
        }
        catch (FormatException ex)
        {
            throw new AgeHeaderException("an armor line is not valid base64", ex);
        }

        if (Convert.ToBase64String(bytes) != line)
        {
            throw Fail("an armor line is not canonical base64");
        }

        _decoded = bytes;
        _offset = 0;
    }

    private void SkipWhitespace()
    {
        while (true)
        {
            var b = _input.ReadByte();
            if (b < 0)
            {
                return;
            }

            if (b is not (' ' or '\t' or '\r' or '\n'))
            {
                _pending = b;
                return;
            }
        }
    }

    private int NextByte()
    {
        if (_pending >= 0)
        {
            var b = _pending;
            _pending = -1;
            return b;
        }

        return _input.ReadByte();
    }

    /// <summary>One line without its LF or CRLF; null at end of input with nothing read.</summary>
    private string? ReadLine(bool requireEol)
    {
        var sb = new StringBuilder();
        while (true)
        {
            var b = NextByte();
            if (b < 0)
            {
                if (sb.Length == 0)
                {
                    return null;
                }

                if (requireEol)
                {
                    throw Fail("the armor ends in the middle of a line");
                }

                return sb.ToString();
            }

            if (b == '\n')
            {
                return sb.ToString();
            }

            if (b == '\r')
            {
                if (NextByte() != '\n')
                {
                    throw Fail("a stray carriage return in the armor");
                }

                return sb.ToString();
            }

            if (sb.Length > 128)
            {
                throw Fail("an armor line is too long");
            }

            sb.Append((char)b);
        }
    }

    private static AgeHeaderException Fail(string message) => new(message);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _input.Dispose();
        }

        base.Dispose(disposing);
    }
}
