namespace Vaultik.Core.Storage;

/// <summary>
/// The remote store: a flat key space of objects written once. Every backend (memory, local directory, S3)
/// implements every member (there are no default bodies); retry and fault injection are wrappers that
/// forward every member too.
/// Keys use '/' as separator and never start with '/'.
/// </summary>
public interface IObjectStore
{
    /// <summary>A description of the store for messages, never containing secrets (e.g. "s3://bucket/prefix").</summary>
    string Location { get; }

    /// <summary>
    /// Creates <paramref name="key"/> from <paramref name="content"/> (read from its current position to the end).
    /// Every write is create-only: when the key exists, throws <see cref="ObjectAlreadyExistsException"/> and
    /// changes nothing. The object becomes visible atomically and whole, or not at all. A seekable stream may be
    /// rewound to its starting position and read again by retry wrappers.
    /// </summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates <paramref name="key"/> from the local file at <paramref name="path"/>, leaving the file in place;
    /// create-only like <see cref="PutAsync"/>. Backends that cannot do better stream it; the local store
    /// hard-links it in when it is on the same filesystem, instead of copying it. Wrappers forward it.
    /// </summary>
    Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default);

    /// <summary>Opens the object (or the given byte range of it) for reading. Throws <see cref="ObjectNotFoundException"/>.</summary>
    Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens one version of the object (an id from <see cref="ListVersionsAsync"/>) for reading. Stores without
    /// versions have one version per object, whose id is null: they open it with <see cref="GetAsync"/>.
    /// </summary>
    Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>Size, modification time and Object Lock retention of an object. Throws <see cref="ObjectNotFoundException"/>.</summary>
    Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in ascending key order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every version (and delete marker) of every key starting with <paramref name="prefix"/>: keys in ascending
    /// order, each key's versions newest first. A store without versions yields each object once, with a null id.
    /// Since Vaultik writes each key once, a key with more than one version was written again by someone else.
    /// </summary>
    IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the object for good: in a versioned bucket every version of it, newest first. Deleting a missing
    /// key is not an error. A version still under Object Lock retention stops it with <see cref="ObjectRetainedException"/>.
    /// </summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the Object Lock retention of one version (null: the current one) out to <paramref name="until"/>, in
    /// the mode the store writes with. Stores without Object Lock throw <see cref="StorageException"/>.
    /// </summary>
    Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default);
}
