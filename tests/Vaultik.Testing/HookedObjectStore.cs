using System.Runtime.CompilerServices;
using Vaultik.Core.Storage;

namespace Vaultik.Testing;

/// <summary>
/// Passes every operation to an inner store after running <see cref="Before"/> with the operation's name
/// ("put", "get", "stat", "list", "delete", …) and key, which may throw to inject a failure or stall. Counts calls per name.
/// </summary>
public sealed class HookedObjectStore(IObjectStore inner) : IObjectStore
{
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>Runs before each operation; its second argument is the operation's call number for that name (from 1).</summary>
    public Func<string, string, int, Task> Before { get; set; } = (_, _, _) => Task.CompletedTask;

    public string Location => inner.Location;

    public int Calls(string operation)
    {
        lock (_calls)
        {
            return _calls.GetValueOrDefault(operation);
        }
    }

    private Task HookAsync(string operation, string key)
    {
        int n;
        lock (_calls)
        {
            n = _calls[operation] = _calls.GetValueOrDefault(operation) + 1;
        }

        return Before(operation, key, n);
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        await HookAsync("put", key).ConfigureAwait(false);
        await inner.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
    }

    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        await HookAsync("put", key).ConfigureAwait(false);
        await inner.PutFileAsync(key, path, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        await HookAsync("get", key).ConfigureAwait(false);
        return await inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        await HookAsync("get", key).ConfigureAwait(false);
        return await inner.GetVersionAsync(key, versionId, range, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        await HookAsync("stat", key).ConfigureAwait(false);
        return await inner.StatAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await HookAsync("list", prefix).ConfigureAwait(false);
        await foreach (var item in inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await HookAsync("list", prefix).ConfigureAwait(false);
        await foreach (var item in inner.ListVersionsAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        await HookAsync("delete", key).ConfigureAwait(false);
        await inner.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await HookAsync("retain", key).ConfigureAwait(false);
        await inner.ExtendRetentionAsync(key, versionId, until, cancellationToken).ConfigureAwait(false);
    }
}
