using System.Runtime.CompilerServices;
using Vaultik.Shared;

namespace Vaultik.Core.Storage;

/// <summary>
/// Wraps a store and makes a configurable fraction of operations fail the way real networks and S3 do:
/// 503/SlowDown, connection resets, timeouts, reads cut short, writes that land but report failure. Or,
/// after N operations, simulates a crash. <see cref="FaultOptions.KeyPrefix"/> limits all of it to some keys.
/// For tests of retries, consistency, crash safety and lost locks.
/// </summary>
public sealed class FaultInjectingObjectStore : IObjectStore
{
    private readonly IObjectStore _inner;
    private readonly FaultOptions _options;
    private readonly Random _random;
    private readonly FaultKinds[] _before;
    private int _operations;
    private int _injected;

    public FaultInjectingObjectStore(IObjectStore inner, FaultOptions options)
    {
        _inner = inner;
        _options = options;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        _before = new[] { FaultKinds.ServiceUnavailable, FaultKinds.ConnectionReset, FaultKinds.Timeout }.Where(k => options.Kinds.HasFlag(k)).ToArray();
    }

    public string Location => _inner.Location;

    /// <summary>How many faults were injected so far.</summary>
    public int Injected => _injected;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        await BeforeAsync("write", key, cancellationToken).ConfigureAwait(false);
        await _inner.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
        AfterWrite(key);
    }

    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        await BeforeAsync("write", key, cancellationToken).ConfigureAwait(false);
        await _inner.PutFileAsync(key, path, cancellationToken).ConfigureAwait(false);
        AfterWrite(key);
    }

    public async Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        await BeforeAsync("read", key, cancellationToken).ConfigureAwait(false);
        var stream = await _inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        if (_options.Kinds.HasFlag(FaultKinds.TruncatedRead) && _options.Applies(key) && Roll())
        {
            int cut;
            lock (_random)
            {
                cut = _random.Next(0, 64 << 10);
            }

            return new TruncatingStream(stream, cut);
        }

        return stream;
    }

    public async Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        await BeforeAsync("read", key, cancellationToken).ConfigureAwait(false);
        return await _inner.GetVersionAsync(key, versionId, range, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        await BeforeAsync("stat", key, cancellationToken).ConfigureAwait(false);
        return await _inner.StatAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await BeforeAsync("list", prefix, cancellationToken).ConfigureAwait(false);
        await foreach (var item in _inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await BeforeAsync("list", prefix, cancellationToken).ConfigureAwait(false);
        await foreach (var item in _inner.ListVersionsAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public async Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await BeforeAsync("write", key, cancellationToken).ConfigureAwait(false);
        await _inner.ExtendRetentionAsync(key, versionId, until, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        await BeforeAsync("delete", key, cancellationToken).ConfigureAwait(false);
        await _inner.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }

    private async Task BeforeAsync(string operation, string key, CancellationToken cancellationToken)
    {
        if (!_options.Applies(key))
        {
            return;
        }

        if (_options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_options.Latency, cancellationToken).ConfigureAwait(false);
        }

        var count = Interlocked.Increment(ref _operations);
        _options.OnOperation?.Invoke(count, operation, key);
        if (_options.FailAfterOperations is { } limit && count > limit)
        {
            throw new InjectedCrashException(operation, key);
        }

        if (_before.Length == 0 || !Roll())
        {
            return;
        }

        FaultKinds kind;
        lock (_random)
        {
            kind = _before[_random.Next(_before.Length)];
        }

        throw kind switch
        {
            FaultKinds.ConnectionReset => new IOException($"injected connection reset during {operation} {key}"),
            FaultKinds.Timeout => new StorageException($"cannot {operation} {key}: timed out (injected)", new TimeoutException(), isTransient: true),
            _ => new StorageException($"cannot {operation} {key}: 503 SlowDown (injected)", isTransient: true),
        };
    }

    private void AfterWrite(string key)
    {
        if (_options.Kinds.HasFlag(FaultKinds.FailAfterWrite) && _options.Applies(key) && Roll())
        {
            throw new StorageException($"cannot write {key}: injected failure after the write landed", isTransient: true);
        }
    }

    private bool Roll()
    {
        if (_options.FailureRate <= 0)
        {
            return false;
        }

        bool fail;
        lock (_random)
        {
            fail = _options.FailureRate >= 1 || _random.NextDouble() < _options.FailureRate;
        }

        if (fail)
        {
            Interlocked.Increment(ref _injected);
        }

        return fail;
    }

    /// <summary>A stream that throws a connection reset after a number of bytes.</summary>
    private sealed class TruncatingStream(Stream inner, int failAfter) : ReadOnlyStream
    {
        private long _read;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            if (_read >= failAfter)
            {
                throw new IOException("injected connection reset while reading");
            }

            var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, failAfter - _read)]);
            _read += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= failAfter)
            {
                throw new IOException("injected connection reset while reading");
            }

            var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAfter - _read)], cancellationToken).ConfigureAwait(false);
            _read += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
