using System.Runtime.CompilerServices;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Integrity;

/// <summary>
/// The store as Vaultik first wrote it: reads, stats and listings of a key that was written again (see
/// <see cref="VersionScan"/>) go to its first version, so an attacker who can only put objects cannot change
/// what readers see; everything else passes through. <see cref="Tampered"/> names each such key so callers
/// can report them. Writes and deletes pass through unchanged.
/// </summary>
public sealed class FirstWrittenView : IObjectStore
{
    private readonly IObjectStore _inner;
    private readonly IReadOnlyDictionary<string, KeyHistory> _tampered;

    public FirstWrittenView(IObjectStore inner, IReadOnlyDictionary<string, KeyHistory> tampered)
    {
        _inner = inner;
        _tampered = tampered;
    }

    /// <summary>Scans <paramref name="prefixes"/> for keys written more than once and returns the view over them.</summary>
    public static async Task<FirstWrittenView> OpenAsync(IObjectStore store, IEnumerable<string> prefixes, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, KeyHistory>(StringComparer.Ordinal);
        foreach (var prefix in prefixes)
        {
            foreach (var (key, history) in await VersionScan.ScanAsync(store, prefix, cancellationToken).ConfigureAwait(false))
            {
                all[key] = history;
            }
        }

        return new FirstWrittenView(store, all);
    }

    /// <summary>Every key written more than once, in key order.</summary>
    public IReadOnlyList<KeyHistory> Tampered => _tampered.Values.OrderBy(h => h.Key, StringComparer.Ordinal).ToList();

    public string Location => _inner.Location;

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => _inner.PutAsync(key, content, cancellationToken);

    public Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default) => _inner.PutFileAsync(key, path, cancellationToken);

    public Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        _tampered.TryGetValue(key, out var h) && h.First.VersionId is { } first
            ? _inner.GetVersionAsync(key, first, range, cancellationToken)
            : _inner.GetAsync(key, range, cancellationToken);

    public Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        _inner.GetVersionAsync(key, versionId, range, cancellationToken);

    public async Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        if (_tampered.TryGetValue(key, out var h))
        {
            return new ObjectInfo(key, h.First.Size, h.First.LastModified);
        }

        return await _inner.StatAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The listing with the first version's size and time for rewritten keys (and keys hidden by a later delete marker put back).</summary>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var hidden = _tampered.Values.Where(h => h.LatestIsDeleteMarker && h.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(h => h.Key).Order(StringComparer.Ordinal).ToList();
        var next = 0;
        await foreach (var info in _inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            for (; next < hidden.Count && string.CompareOrdinal(hidden[next], info.Key) < 0; next++)
            {
                yield return Pinned(hidden[next]);
            }

            yield return _tampered.ContainsKey(info.Key) ? Pinned(info.Key) : info;
        }

        for (; next < hidden.Count; next++)
        {
            yield return Pinned(hidden[next]);
        }
    }

    private ObjectInfo Pinned(string key)
    {
        var first = _tampered[key].First;
        return new ObjectInfo(key, first.Size, first.LastModified);
    }

    public IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, CancellationToken cancellationToken = default) =>
        _inner.ListVersionsAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, cancellationToken);

    public Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        _inner.ExtendRetentionAsync(key, versionId, until, cancellationToken);
}
