using System.Diagnostics;

namespace Vaultik.Core.Storage;

/// <summary>
/// Paces byte transfers to a rate: a token bucket holding up to a quarter-second of bytes (at least 64 KiB),
/// refilled continuously. A caller takes the bytes it moved; when that drives the bucket below zero it waits
/// until the debt is paid back. Every caller shares the same bucket, so concurrent transfers together stay at
/// the rate, each waiting its turn in the order it took. Thread-safe.
/// </summary>
public sealed class TokenBucket
{
    private readonly object _gate = new();
    private readonly long _capacity;
    private readonly Func<long> _clock;
    private double _tokens;
    private long _last;

    /// <param name="bytesPerSecond">The rate; more than 0.</param>
    /// <param name="clock">Elapsed time in <see cref="Stopwatch"/> ticks (for tests); default the process's stopwatch.</param>
    public TokenBucket(long bytesPerSecond, Func<long>? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bytesPerSecond, 0);
        BytesPerSecond = bytesPerSecond;
        _capacity = Math.Max(64 << 10, bytesPerSecond / 4);
        _clock = clock ?? Stopwatch.GetTimestamp;
        _last = _clock();
        _tokens = _capacity;
    }

    public long BytesPerSecond { get; }

    /// <summary>The burst size: how many bytes may pass at once after a pause.</summary>
    public long Capacity => _capacity;

    /// <summary>Takes <paramref name="bytes"/> and returns how long the caller must wait before moving more (zero when none).</summary>
    public TimeSpan Take(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            var now = _clock();
            _tokens = Math.Min(_capacity, _tokens + ((now - _last) * (double)BytesPerSecond / Stopwatch.Frequency));
            _last = now;
            _tokens -= bytes;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / BytesPerSecond);
        }
    }

    /// <summary>Takes <paramref name="bytes"/> and waits out any debt.</summary>
    public async ValueTask TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        var wait = Take(bytes);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes <paramref name="bytes"/> and blocks the thread through any debt.</summary>
    public void TakeBlocking(long bytes)
    {
        var wait = Take(bytes);
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait);
        }
    }
}
