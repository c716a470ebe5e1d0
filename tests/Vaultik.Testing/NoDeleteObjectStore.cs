using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Vaultik.Core.Storage;

namespace Vaultik.Testing;

/// <summary>
/// A store as the backup host sees it with put-only credentials: every delete fails (like S3's AccessDenied)
/// and is recorded in <see cref="DeleteAttempts"/>; everything else is forwarded.
/// </summary>
public sealed class NoDeleteObjectStore(IObjectStore inner) : IObjectStore
{
    private readonly ConcurrentQueue<string> _attempts = new();

    public IReadOnlyCollection<string> DeleteAttempts => _attempts.ToArray();

    public string Location => inner.Location;

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => inner.PutAsync(key, content, cancellationToken);

    public Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default) => inner.PutFileAsync(key, path, cancellationToken);

    public Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default) => inner.GetAsync(key, range, cancellationToken);

    public Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        inner.GetVersionAsync(key, versionId, range, cancellationToken);

    public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default) => inner.StatAsync(key, cancellationToken);

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in inner.ListVersionsAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        _attempts.Enqueue(key);
        throw new StorageException($"cannot delete {key}: AccessDenied (put-only credentials)");
    }

    public Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        throw new StorageException($"cannot extend the retention of {key}: AccessDenied (put-only credentials)");
}
