namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>A seekable source over a byte array whose reads fail with an IOException once they reach <c>breakAt</c>, like a disk going bad mid-file.</summary>
public sealed class BreakingStream(byte[] data, long breakAt) : Stream
{
    public const string Failure = "input/output error (test source broke)";

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position { get; set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (Position + count > breakAt)
        {
            throw new IOException(Failure);
        }

        var n = (int)Math.Min(count, data.Length - Position);
        Array.Copy(data, Position, buffer, offset, n);
        Position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => Position + offset,
        _ => data.Length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
