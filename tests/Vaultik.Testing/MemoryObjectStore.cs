using System.Collections.Concurrent;
using Vaultik.Core.Storage;

namespace Vaultik.Testing;

/// <summary>
/// A thread-safe in-memory store for fast tests, counting requests and bytes moved so tests can check that
/// a verb downloads only what it needs.
/// </summary>
public sealed class MemoryObjectStore : IObjectStore
{
    private readonly ConcurrentDictionary<string, (byte[] Data, DateTimeOffset Modified)> _objects = new(StringComparer.Ordinal);
    private long _bytesRead;
    private long _bytesWritten;
    private long _requests;

    public string Location => "memory://";

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public long Requests => Interlocked.Read(ref _requests);

    public IReadOnlyCollection<string> Keys => _objects.Keys.ToList();

    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        await using var content = File.OpenRead(path);
        await PutAsync(key, content, cancellationToken).ConfigureAwait(false);
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        Interlocked.Increment(ref _requests);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var entry = (buffer.ToArray(), DateTimeOffset.UtcNow);
        if (!_objects.TryAdd(key, entry))
        {
            throw new ObjectAlreadyExistsException(key);
        }

        Interlocked.Add(ref _bytesWritten, entry.Item1.Length);
    }

    public Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        if (!_objects.TryGetValue(key, out var entry))
        {
            throw new ObjectNotFoundException(key);
        }

        var offset = (int)Math.Min(range?.Offset ?? 0, entry.Data.Length);
        var length = (int)Math.Min(range?.Length ?? entry.Data.Length, entry.Data.Length - offset);
        Interlocked.Add(ref _bytesRead, length);
        return Task.FromResult<Stream>(new MemoryStream(entry.Data, offset, length, writable: false));
    }

    public Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        throw new StorageException($"cannot read version {versionId} of {key}: {Location} keeps no versions");

    public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        return _objects.TryGetValue(key, out var entry)
            ? Task.FromResult(new ObjectInfo(key, entry.Data.Length, entry.Modified))
            : throw new ObjectNotFoundException(key);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        var snapshot = _objects.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        foreach (var (key, entry) in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ObjectInfo(key, entry.Data.Length, entry.Modified);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var info in ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return new ObjectVersion(info.Key, null, info.Size, info.LastModified, IsDeleteMarker: false);
        }
    }

    public Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        throw new StorageException($"cannot extend the retention of {key}: {Location} has no Object Lock");

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        _objects.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>Replaces an object's bytes directly (for corruption tests).</summary>
    public void Overwrite(string key, byte[] data) => _objects[key] = (data, DateTimeOffset.UtcNow);

    /// <summary>Sets an object's modification time (for grace-period tests).</summary>
    public void SetModified(string key, DateTimeOffset modified) => _objects[key] = (_objects[key].Data, modified);
}
