using System.Buffers;
using System.Security.Cryptography;

namespace Vaultik.Core.Crypto.Age;

/// <summary>
/// Read side of an age payload: reads one encrypted chunk plus one byte of look-ahead to know whether it is
/// the last, authenticates it, and only then releases its plaintext. Any damage, truncation or trailing data
/// raises <see cref="AgePayloadException"/>.
/// </summary>
internal sealed class AgeDecryptStream : Stream
{
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _cipher = ArrayPool<byte>.Shared.Rent(AgePrimitives.EncryptedChunkSize + 1);
    private readonly byte[] _plain = ArrayPool<byte>.Shared.Rent(AgePrimitives.ChunkSize);
    private int _cipherFilled;
    private int _plainOffset;
    private int _plainLength;
    private long _counter;
    private bool _done;
    private bool _disposed;

    public AgeDecryptStream(Stream input, byte[] fileKey, byte[] nonce, bool leaveOpen)
    {
        _input = input;
        _leaveOpen = leaveOpen;
        _aead = new ChaCha20Poly1305(AgePrimitives.PayloadKey(fileKey, nonce));
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_plainOffset == _plainLength)
        {
            if (_done)
            {
                return 0;
            }

            NextChunk();
        }

        var n = Math.Min(buffer.Length, _plainLength - _plainOffset);
        _plain.AsSpan(_plainOffset, n).CopyTo(buffer);
        _plainOffset += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void NextChunk()
    {
        // Keep any look-ahead byte from the previous read, then fill up to one chunk plus one byte.
        while (_cipherFilled < AgePrimitives.EncryptedChunkSize + 1)
        {
            var n = _input.Read(_cipher, _cipherFilled, AgePrimitives.EncryptedChunkSize + 1 - _cipherFilled);
            if (n == 0)
            {
                break;
            }

            _cipherFilled += n;
        }

        var last = _cipherFilled <= AgePrimitives.EncryptedChunkSize;
        var length = Math.Min(_cipherFilled, AgePrimitives.EncryptedChunkSize);
        if (length == 0)
        {
            throw new AgePayloadException(_counter == 0 ? "the payload is empty (no STREAM chunk)" : "the payload is truncated");
        }

        _plainLength = StreamChunks.Open(_aead, _counter++, last, _cipher.AsSpan(0, length), _plain);
        _plainOffset = 0;
        if (last)
        {
            _done = true;
            _cipherFilled = 0;
        }
        else
        {
            _cipher[0] = _cipher[AgePrimitives.EncryptedChunkSize];
            _cipherFilled = 1;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _aead.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
            ArrayPool<byte>.Shared.Return(_plain);
            ArrayPool<byte>.Shared.Return(_cipher);
            if (!_leaveOpen)
            {
                _input.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
