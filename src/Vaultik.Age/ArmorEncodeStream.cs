using System.Text;

namespace Vaultik.Age;

/// <summary>Writes age armor: 48 bytes per 64-column line, the END line on dispose.</summary>
internal sealed class ArmorEncodeStream : Stream
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly byte[] _pending = new byte[48];
    private int _filled;
    private bool _finished;

    public ArmorEncodeStream(Stream output, bool leaveOpen)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        _output.Write(Encoding.ASCII.GetBytes(AgeArmor.Begin + "\n"));
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_finished;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _pending.Length - _filled);
            buffer[..n].CopyTo(_pending.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _pending.Length)
            {
                WriteLine();
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    private void WriteLine()
    {
        _output.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(_pending, 0, _filled) + "\n"));
        _filled = 0;
    }

    public override void Flush() => _output.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            if (_filled > 0)
            {
                WriteLine();
            }

            _output.Write(Encoding.ASCII.GetBytes(AgeArmor.End + "\n"));
            _output.Flush();
            if (!_leaveOpen)
            {
                _output.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
