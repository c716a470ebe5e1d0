using System.Diagnostics;

namespace Vaultik.Bench;

/// <summary>
/// A read-only pass-through stream that adds the time spent in the inner stream's reads to <see cref="Ticks"/>,
/// so the chunker's own time can be told apart from the read(2) calls it makes.
/// </summary>
public sealed class TimedReadStream(Stream inner) : Stream
{
    /// <summary>Stopwatch ticks spent inside the inner stream's Read calls.</summary>
    public long Ticks { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var start = Stopwatch.GetTimestamp();
        var n = inner.Read(buffer);
        Ticks += Stopwatch.GetTimestamp() - start;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
