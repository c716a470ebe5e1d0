using Vaultik.Shared;

namespace Vaultik.Age;

/// <summary>A read-only stream of some already-read bytes followed by the rest of another stream.</summary>
internal sealed class PrefixedStream : ReadOnlyStream
{
    private readonly byte[] _prefix;
    private readonly Stream _rest;
    private readonly bool _leaveOpen;
    private int _offset;

    public PrefixedStream(byte[] prefix, Stream rest, bool leaveOpen)
    {
        _prefix = prefix;
        _rest = rest;
        _leaveOpen = leaveOpen;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_offset < _prefix.Length)
        {
            var n = Math.Min(buffer.Length, _prefix.Length - _offset);
            _prefix.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        return _rest.Read(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
