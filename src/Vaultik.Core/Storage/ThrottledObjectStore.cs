namespace Vaultik.Core.Storage;

/// <summary>
/// Limits the bandwidth of another store (<c>--limit-upload</c>, <c>--limit-download</c>): the content of every
/// put is read through the upload bucket, every stream a get returns through the download bucket. A null
/// bucket leaves that direction unlimited. The buckets are the caller's, so all stores and transfers that share
/// them share one limit. <see cref="PutFileAsync"/> under an upload limit streams the file through
/// <see cref="IObjectStore.PutAsync"/> of the inner store: the local store then copies instead of hard-linking,
/// so the limit holds for it too. Listings, stats and deletes are not paced.
/// </summary>
public sealed class ThrottledObjectStore : IObjectStore
{
    private readonly IObjectStore _inner;
    private readonly TokenBucket? _upload;
    private readonly TokenBucket? _download;

    public ThrottledObjectStore(IObjectStore inner, TokenBucket? upload, TokenBucket? download)
    {
        _inner = inner;
        _upload = upload;
        _download = download;
    }

    public string Location => _inner.Location;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        if (_upload is null)
        {
            await _inner.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var paced = new ThrottledReadStream(content, _upload, leaveOpen: true);
        await _inner.PutAsync(key, paced, cancellationToken).ConfigureAwait(false);
    }

    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        if (_upload is null)
        {
            await _inner.PutFileAsync(key, path, cancellationToken).ConfigureAwait(false);
            return;
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using var paced = new ThrottledReadStream(file, _upload, leaveOpen: false);
        await _inner.PutAsync(key, paced, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        Pace(await _inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false));

    public async Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        Pace(await _inner.GetVersionAsync(key, versionId, range, cancellationToken).ConfigureAwait(false));

    public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default) => _inner.StatAsync(key, cancellationToken);

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => _inner.ListAsync(prefix, cancellationToken);

    public IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, CancellationToken cancellationToken = default) =>
        _inner.ListVersionsAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, cancellationToken);

    public Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        _inner.ExtendRetentionAsync(key, versionId, until, cancellationToken);

    private Stream Pace(Stream stream) => _download is null ? stream : new ThrottledReadStream(stream, _download, leaveOpen: false);
}
