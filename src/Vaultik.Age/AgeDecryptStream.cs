using System.Buffers;
using System.Security.Cryptography;
using Vaultik.Shared;

namespace Vaultik.Age;

/// <summary>
/// Read side of an age payload: reads one encrypted chunk plus one byte of look-ahead to know whether it is
/// the last, authenticates it, and only then releases its plaintext. Any damage, truncation or trailing data
/// raises <see cref="AgePayloadException"/>.
/// </summary>
internal sealed class AgeDecryptStream : ReadOnlyStream
{
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _cipher = ArrayPool<byte>.Shared.Rent(AgePrimitives.EncryptedChunkSize);
    private readonly byte[] _plain = ArrayPool<byte>.Shared.Rent(AgePrimitives.ChunkSize);
    private bool _trailingChecked;
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

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_plainOffset == _plainLength)
        {
            if (_done)
            {
                if (!_trailingChecked)
                {
                    CheckNoTrailingData();
                }

                return 0;
            }

            NextChunk();
        }

        var n = Math.Min(buffer.Length, _plainLength - _plainOffset);
        _plain.AsSpan(_plainOffset, n).CopyTo(buffer);
        _plainOffset += n;
        return n;
    }

    private void NextChunk()
    {
        // Read one encrypted chunk. A short one is the last; a full one is tried as a middle chunk first and
        // as a full-length last chunk second (age's own rule).
        var length = 0;
        while (length < AgePrimitives.EncryptedChunkSize)
        {
            var n = _input.Read(_cipher, length, AgePrimitives.EncryptedChunkSize - length);
            if (n == 0)
            {
                break;
            }

            length += n;
        }

        if (length == 0)
        {
            throw new AgePayloadException(_counter == 0 ? "the payload is empty (no STREAM chunk)" : "the payload is truncated (no last chunk)");
        }

        var last = length < AgePrimitives.EncryptedChunkSize;
        if (last)
        {
            _plainLength = StreamChunks.Open(_aead, _counter, last: true, _cipher.AsSpan(0, length), _plain);
        }
        else
        {
            try
            {
                _plainLength = StreamChunks.Open(_aead, _counter, last: false, _cipher.AsSpan(0, length), _plain);
            }
            catch (AgePayloadException)
            {
                _plainLength = StreamChunks.Open(_aead, _counter, last: true, _cipher.AsSpan(0, length), _plain);
                last = true;
            }
        }

        _counter++;
        _plainOffset = 0;
        _done = last;
    }

    /// <summary>After the last chunk, anything more in the input is an error.</summary>
    private void CheckNoTrailingData()
    {
        if (_input.Read(_cipher, 0, 1) > 0)
        {
            throw new AgePayloadException("there is data after the last STREAM chunk");
        }

        _trailingChecked = true;
    }

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
