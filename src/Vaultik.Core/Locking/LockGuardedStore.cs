using System.Runtime.CompilerServices;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Locking;

/// <summary>
/// The store as a lock holder uses it: before every operation the lock must still be held
/// (<see cref="HeldLock.EnsureHeld"/>), and writes and deletes in flight are cancelled when it is lost, so a
/// run that lost its lock writes no metadata or manifest and deletes nothing more.
/// </summary>
internal sealed class LockGuardedStore(IObjectStore inner, HeldLock held) : IObjectStore
{
    public string Location => inner.Location;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        held.EnsureHeld();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        await inner.PutAsync(key, content, linked.Token).ConfigureAwait(false);
    }

    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        held.EnsureHeld();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        await inner.PutFileAsync(key, path, linked.Token).ConfigureAwait(false);
    }

    public Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        held.EnsureHeld();
        return inner.GetAsync(key, range, cancellationToken);
    }

    public Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        held.EnsureHeld();
        return inner.GetVersionAsync(key, versionId, range, cancellationToken);
    }

    public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        held.EnsureHeld();
        return inner.StatAsync(key, cancellationToken);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        held.EnsureHeld();
        await foreach (var item in inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        held.EnsureHeld();
        await foreach (var item in inner.ListVersionsAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        held.EnsureHeld();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        await inner.DeleteAsync(key, linked.Token).ConfigureAwait(false);
    }

    public async Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        held.EnsureHeld();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        await inner.ExtendRetentionAsync(key, versionId, until, linked.Token).ConfigureAwait(false);
    }
}
