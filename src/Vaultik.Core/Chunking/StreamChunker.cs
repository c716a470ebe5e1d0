using System.Buffers;

namespace Vaultik.Core.Chunking;

/// <summary>
/// Cuts a stream of any length into FastCDC chunks with one reused buffer (twice the maximum chunk size), so
/// memory stays constant whatever the file size. Each chunk is valid until the next call.
/// </summary>
public sealed class StreamChunker : IDisposable
{
    private readonly Stream _source;
    private readonly ChunkerOptions _options;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public StreamChunker(Stream source, ChunkerOptions options, int bufferSize = 0)
    {
        options.Validate();
        _source = source;
        _options = options;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, 2 * options.MaxSize));
    }

    /// <summary>Offset in the source of the end of the last chunk returned.</summary>
    public long Position { get; private set; }

    public bool TryReadNext(out ReadOnlyMemory<byte> chunk)
    {
        if (!_eof && _end - _start < _options.MaxSize)
        {
            Compact();
            while (_end < _buffer.Length)
            {
                var n = _source.Read(_buffer, _end, _buffer.Length - _end);
                if (n == 0)
                {
                    _eof = true;
                    break;
                }

                _end += n;
            }
        }

        return Cut(out chunk);
    }

    public async ValueTask<ReadOnlyMemory<byte>?> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        if (!_eof && _end - _start < _options.MaxSize)
        {
            Compact();
            while (_end < _buffer.Length)
            {
                var n = await _source.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    _eof = true;
                    break;
                }

                _end += n;
            }
        }

        return Cut(out var chunk) ? chunk : null;
    }

    private void Compact()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }

    private bool Cut(out ReadOnlyMemory<byte> chunk)
    {
        if (_start == _end)
        {
            chunk = ReadOnlyMemory<byte>.Empty;
            return false;
        }

        var length = FastCdc.FindCutPoint(_buffer.AsSpan(_start, _end - _start), _options, out _);
        chunk = _buffer.AsMemory(_start, length);
        _start += length;
        Position += length;
        return true;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
