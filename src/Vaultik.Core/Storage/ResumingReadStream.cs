using Vaultik.Shared;


namespace Vaultik.Core.Storage;

/// <summary>
/// Wraps a store read so that a transient failure mid-stream reopens the object at the current offset
/// (a ranged read) and carries on, up to the retry policy's limits.
/// </summary>
internal sealed class ResumingReadStream : ReadOnlyStream
{
    private const int MaxResumes = 8;
    private readonly RetryingObjectStore _owner;
    private readonly string _key;
    private readonly long _start;
    private readonly long? _length;
    private readonly CancellationToken _cancellationToken;
    private Stream _current;
    private long _read;
    private int _resumes;

    public ResumingReadStream(RetryingObjectStore owner, string key, ByteRange? range, Stream first, CancellationToken cancellationToken)
    {
        _owner = owner;
        _key = key;
        _start = range?.Offset ?? 0;
        _length = range?.Length;
        _current = first;
        _cancellationToken = cancellationToken;
    }

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var array = new byte[buffer.Length];
        var n = ReadAsync(array, _cancellationToken).AsTask().GetAwaiter().GetResult();
        array.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                var n = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                _read += n;
                return n;
            }
            catch (Exception ex) when (_resumes < MaxResumes && RetryingObjectStore.IsTransient(ex, cancellationToken))
            {
                _resumes++;
                await _current.DisposeAsync().ConfigureAwait(false);
                var remaining = _length is { } total ? total - _read : (long?)null;
                var range = remaining is { } r ? new ByteRange(_start + _read, r) : new ByteRange(_start + _read, long.MaxValue - _start - _read);
                _current = await _owner.OpenAsync(_key, range, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _current.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
