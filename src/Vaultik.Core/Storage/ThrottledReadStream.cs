namespace Vaultik.Core.Storage;

/// <summary>
/// A read stream paced by a <see cref="TokenBucket"/>: each read moves at most 64 KiB and then pays for the bytes
/// it returned. Length, position and seeking pass through (an upload's content length and a retry's rewind need
/// them); every byte read is paid for, including bytes read again after a rewind. Disposing it disposes the inner
/// stream unless <c>leaveOpen</c>.
/// </summary>
internal sealed class ThrottledReadStream(Stream inner, TokenBucket bucket, bool leaveOpen) : Stream
{
    private const int Slice = 64 << 10;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var start = inner.CanSeek ? inner.Position : -1;
        var n = inner.Read(buffer[..Math.Min(buffer.Length, Slice)]);
        bucket.TakeBlocking(Charge(start, n));
        return n;
    }

    /// <summary>
    /// The bytes of a read that count against the limit: in a seekable stream only those past the furthest
    /// position read so far, so reading content again after a rewind (the Content-MD5 pass of a write under
    /// Object Lock, which reads it locally before sending it) does not halve the rate.
    /// </summary>
    private int Charge(long start, int read)
    {
        if (start < 0)
        {
            return read;
        }

        var end = start + read;
        var charged = (int)Math.Max(0, end - Math.Max(start, _highWater));
        _highWater = Math.Max(_highWater, end);
        return charged;
    }

    private long _highWater = inner.CanSeek ? inner.Position : 0;

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var start = inner.CanSeek ? inner.Position : -1;
        var n = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, Slice)], cancellationToken).ConfigureAwait(false);
        await bucket.TakeAsync(Charge(start, n), cancellationToken).ConfigureAwait(false);
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
        // Read-only: nothing is buffered for writing.
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!leaveOpen)
        {
            await inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
