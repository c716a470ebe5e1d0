using System.Buffers;
using System.Security.Cryptography;
using Vaultik.Shared;

namespace Vaultik.Age;

/// <summary>
/// The plaintext of consecutive STREAM chunks read from a ciphertext range: each chunk is read whole and
/// authenticated before any of its bytes are returned; <c>skip</c> bytes of the first chunk and everything
/// past <c>length</c> are dropped. Memory is one encrypted and one plain chunk.
/// </summary>
internal sealed class AgeRangeStream : ReadOnlyStream
{
    private readonly AgePayloadReader _payload;
    private readonly Stream _ciphertext;
    private readonly byte[] _cipher = ArrayPool<byte>.Shared.Rent(AgePrimitives.EncryptedChunkSize);
    private readonly byte[] _plain = ArrayPool<byte>.Shared.Rent(AgePrimitives.ChunkSize);
    private long _nextChunk;
    private int _skip;
    private long _remaining;
    private int _plainOffset;
    private int _plainLength;
    private bool _disposed;

    public AgeRangeStream(AgePayloadReader payload, Stream ciphertext, long firstChunk, int skip, long length)
    {
        _payload = payload;
        _ciphertext = ciphertext;
        _nextChunk = firstChunk;
        _skip = skip;
        _remaining = length;
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        if (_plainOffset == _plainLength)
        {
            var length = _payload.CiphertextLengthOfChunk(_nextChunk);
            _ciphertext.ReadExactly(_cipher, 0, length);
            OpenChunk(length);
        }

        return Copy(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        if (_plainOffset == _plainLength)
        {
            var length = _payload.CiphertextLengthOfChunk(_nextChunk);
            await _ciphertext.ReadExactlyAsync(_cipher.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            OpenChunk(length);
        }

        return Copy(buffer.Span);
    }

    private void OpenChunk(int length)
    {
        _plainLength = _payload.DecryptChunk(_nextChunk, _cipher.AsSpan(0, length), _plain);
        _nextChunk++;
        _plainOffset = Math.Min(_skip, _plainLength);
        _skip = 0;
    }

    private int Copy(Span<byte> buffer)
    {
        var n = (int)Math.Min(Math.Min(buffer.Length, _plainLength - _plainOffset), _remaining);
        _plain.AsSpan(_plainOffset, n).CopyTo(buffer);
        _plainOffset += n;
        _remaining -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _ciphertext.Dispose();
            ReturnBuffers();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            await _ciphertext.DisposeAsync().ConfigureAwait(false);
            ReturnBuffers();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void ReturnBuffers()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_plain);
        ArrayPool<byte>.Shared.Return(_plain);
        ArrayPool<byte>.Shared.Return(_cipher);
    }
}
