using System.Buffers;
using System.Security.Cryptography;

namespace Vaultik.Age;

/// <summary>
/// Write side of an age file: buffers one 64 KiB chunk, seals it when the next byte arrives (so the last
/// chunk, even a full one, gets the last-chunk flag), and seals the final chunk on dispose. Flush does not
/// finish the file.
/// </summary>
internal sealed class AgeEncryptStream : Stream
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _plain = ArrayPool<byte>.Shared.Rent(AgePrimitives.ChunkSize);
    private readonly byte[] _sealed = ArrayPool<byte>.Shared.Rent(AgePrimitives.EncryptedChunkSize);
    private int _filled;
    private long _counter;
    private long _written;
    private bool _finished;

    public AgeEncryptStream(Stream output, IEnumerable<IRecipient> recipients, bool leaveOpen)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        var list = recipients.ToList();
        if (list.Any(r => r is MlKem768X25519Recipient) && list.Any(r => r is not MlKem768X25519Recipient))
        {
            throw new AgeException("cannot encrypt to these recipients: post-quantum (age1pq1…) and classic recipients "
                + "cannot be mixed, or the file would be open to a quantum computer");
        }

        var fileKey = RandomNumberGenerator.GetBytes(AgePrimitives.FileKeySize);
        var stanzas = list.SelectMany(r => r.Wrap(fileKey)).ToList();
        if (stanzas.Count == 0)
        {
            throw new ArgumentException("at least one recipient is needed", nameof(recipients));
        }

        AgeHeader.Write(output, stanzas, fileKey);
        var nonce = RandomNumberGenerator.GetBytes(AgePrimitives.PayloadNonceSize);
        output.Write(nonce);
        _aead = new ChaCha20Poly1305(AgePrimitives.PayloadKey(fileKey, nonce));
        CryptographicOperations.ZeroMemory(fileKey);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_finished;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            if (_filled == AgePrimitives.ChunkSize)
            {
                SealChunk(last: false);
            }

            var n = Math.Min(buffer.Length, AgePrimitives.ChunkSize - _filled);
            buffer[..n].CopyTo(_plain.AsSpan(_filled));
            _filled += n;
            _written += n;
            buffer = buffer[n..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _output.Flush();

    private void SealChunk(bool last)
    {
        var n = StreamChunks.Seal(_aead, _counter++, last, _plain.AsSpan(0, _filled), _sealed);
        _output.Write(_sealed, 0, n);
        _filled = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            try
            {
                SealChunk(last: true);
                _output.Flush();
            }
            finally
            {
                _aead.Dispose();
                CryptographicOperations.ZeroMemory(_plain);
                ArrayPool<byte>.Shared.Return(_plain);
                ArrayPool<byte>.Shared.Return(_sealed);
                if (!_leaveOpen)
                {
                    _output.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
