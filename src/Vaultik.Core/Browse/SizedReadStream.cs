namespace Vaultik.Core.Browse;

/// <summary>
/// A forward-only read stream of a known length over another (a pipe), for <see cref="System.Formats.Tar.TarWriter"/>,
/// which writes a member's size in its header before its data: it reports <see cref="Length"/>, allows "seeking"
/// only to where it is, and fails when the source ends early rather than let a short member through.
/// </summary>
internal sealed class SizedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _length;
    private long _position;

    public SizedReadStream(Stream inner, long length)
    {
        _inner = inner;
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, (int)Math.Min(count, _length - _position)), count);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await _inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _length - _position)], cancellationToken).ConfigureAwait(false), buffer.Length);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => _length + offset };
        return target == _position ? _position : throw new NotSupportedException("cannot seek an archive member's content stream");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read, int asked)
    {
        if (read == 0 && asked > 0 && _position < _length)
        {
            throw new CorruptDataException($"cannot write archive member: its content ended after {_position} of {_length} bytes");
        }

        _position += read;
        return read;
    }
}
