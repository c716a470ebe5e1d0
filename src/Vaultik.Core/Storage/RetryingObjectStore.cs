using System.Diagnostics;
using System.Net.Http;
using System.Runtime.CompilerServices;

namespace Vaultik.Core.Storage;

/// <summary>
/// Retries transient failures (timeouts, resets, 5xx, SlowDown) with backoff. Puts rewind seekable content;
/// reads that fail midway are resumed with a ranged read from where they stopped. When attempts or time
/// run out, the last reason is reported with the key.
/// </summary>
public sealed class RetryingObjectStore : IObjectStore
{
    private readonly IObjectStore _inner;
    private readonly RetryPolicy _policy;
    private readonly TimeProvider _time;

    /// <param name="time">Measures the time spent against <see cref="RetryPolicy.MaxTotal"/> (the system clock unless a test passes its own).</param>
    public RetryingObjectStore(IObjectStore inner, RetryPolicy policy, TimeProvider? time = null)
    {
        _inner = inner;
        _policy = policy;
        _time = time ?? TimeProvider.System;
    }

    public string Location => _inner.Location;

    /// <summary>Retries performed so far (for tests and verbose output).</summary>
    public int Retries => _retries;

    private int _retries;

    public Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default) =>
        RunAsync("write", key, async _ =>
        {
            try
            {
                await _inner.PutFileAsync(key, path, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectAlreadyExistsException)
            {
                // An earlier attempt may have landed and still reported failure, or the HTTP stack re-sent a PUT
                // whose response was lost (then the server answers 412 to our own object): when the object
                // there holds exactly our bytes, it is ours (and nothing was replaced either way).
                await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                if (!await SameContentAsync(key, content, 0, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }

            return true;
        }, canRetry: true, cancellationToken);

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        var start = content.CanSeek ? content.Position : -1;
        return RunAsync("write", key, async attempt =>
        {
            if (attempt > 1)
            {
                content.Position = start;
            }

            try
            {
                await _inner.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectAlreadyExistsException)
            {
                // An earlier attempt may have landed and still reported failure, or the HTTP stack re-sent a PUT
                // whose response was lost (then the server answers 412 to our own object): when the object
                // there holds exactly our bytes, it is ours (and nothing was replaced either way).
                if (!await SameContentAsync(key, content, start, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }

            return true;
        }, canRetry: start >= 0, cancellationToken);
    }

    /// <summary>
    /// Whether the object at <paramref name="key"/> holds exactly <paramref name="content"/> from <paramref name="start"/>.
    /// A read of it that ends early (a connection cut mid-body) is an <see cref="IOException"/>, so the attempt is
    /// retried instead of taking the object for someone else's.
    /// </summary>
    private async Task<bool> SameContentAsync(string key, Stream content, long start, CancellationToken cancellationToken)
    {
        var size = (await _inner.StatAsync(key, cancellationToken).ConfigureAwait(false)).Size;
        if (content.CanSeek && content.Length - start != size)
        {
            return false;
        }

        content.Position = start;
        await using var existing = await _inner.GetAsync(key, null, cancellationToken).ConfigureAwait(false);
        var a = new byte[1 << 16];
        var b = new byte[1 << 16];
        long compared = 0;
        while (true)
        {
            var na = await content.ReadAtLeastAsync(a, a.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var nb = await existing.ReadAtLeastAsync(b, b.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (nb < na && compared + nb < size)
            {
                throw new IOException($"the read of {key} ended after {compared + nb} of {size} bytes");
            }

            if (na != nb || !a.AsSpan(0, na).SequenceEqual(b.AsSpan(0, nb)))
            {
                return false;
            }

            if (na == 0)
            {
                return true;
            }

            compared += na;
        }
    }

    public async Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var stream = await OpenAsync(key, range, cancellationToken).ConfigureAwait(false);
        return new ResumingReadStream(this, key, range, stream, cancellationToken);
    }

    internal Task<Stream> OpenAsync(string key, ByteRange? range, CancellationToken cancellationToken) =>
        RunAsync("read", key, _ => _inner.GetAsync(key, range, cancellationToken), canRetry: true, cancellationToken);

    /// <summary>Reads of one version are retried as a whole (they are rare: tamper recovery reads the oldest version of a key).</summary>
    public Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        RunAsync("read", key, _ => _inner.GetVersionAsync(key, versionId, range, cancellationToken), canRetry: true, cancellationToken);

    public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default) =>
        RunAsync("stat", key, _ => _inner.StatAsync(key, cancellationToken), canRetry: true, cancellationToken);

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A listing is retried as a whole: it is collected first so a retry never yields an entry twice.
        var items = await RunAsync("list", prefix, async _ =>
        {
            var list = new List<ObjectInfo>();
            await foreach (var item in _inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                list.Add(item);
            }

            return list;
        }, canRetry: true, cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            yield return item;
        }
    }

    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var items = await RunAsync("list versions of", prefix, async _ =>
        {
            var list = new List<ObjectVersion>();
            await foreach (var item in _inner.ListVersionsAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                list.Add(item);
            }

            return list;
        }, canRetry: true, cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            yield return item;
        }
    }

    public Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        RunAsync("extend the retention of", key, async _ =>
        {
            await _inner.ExtendRetentionAsync(key, versionId, until, cancellationToken).ConfigureAwait(false);
            return true;
        }, canRetry: true, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        RunAsync("delete", key, async _ =>
        {
            await _inner.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            return true;
        }, canRetry: true, cancellationToken);

    private async Task<T> RunAsync<T>(string verb, string key, Func<int, Task<T>> operation, bool canRetry, CancellationToken cancellationToken)
    {
        long? firstFailure = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(attempt).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                // The budget counts from the first failure, so an attempt that alone took longer than the budget
                // (a large upload) still gets its one retry.
                firstFailure ??= _time.GetTimestamp();
                var delay = _policy.DelayAfter(attempt);
                if (!canRetry || attempt >= _policy.MaxAttempts || (attempt > 1 && _time.GetElapsedTime(firstFailure.Value) + delay > _policy.MaxTotal))
                {
                    var reason = ex is StorageException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                    throw new StorageException($"cannot {verb} {key}: {reason} (gave up after {attempt} attempts)", ex);
                }

                Interlocked.Increment(ref _retries);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        StorageException s => s.IsTransient,
        IOException or HttpRequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
