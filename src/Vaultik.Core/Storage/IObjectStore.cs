namespace Vaultik.Core.Storage;

/// <summary>
/// The remote store: a flat key space of immutable objects. Every backend (memory, local directory, S3)
/// implements every member (there are no default bodies); retry and fault injection are wrappers that
/// forward every member too.
/// Keys use '/' as separator and never start with '/'.
/// </summary>
public interface IObjectStore
{
    /// <summary>A description of the store for messages, never containing secrets (e.g. "s3://bucket/prefix").</summary>
    string Location { get; }

    /// <summary>
    /// Stores <paramref name="content"/> (read from its current position to the end) under <paramref name="key"/>.
    /// The object becomes visible atomically and whole, or not at all. With <paramref name="createOnly"/>,
    /// throws <see cref="ObjectAlreadyExistsException"/> when the key exists (where the backend can tell).
    /// A seekable stream may be rewound to its starting position and read again by retry wrappers.
    /// </summary>
    Task PutAsync(string key, Stream content, bool createOnly = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the local file at <paramref name="path"/> under <paramref name="key"/> (overwriting), leaving the
    /// file in place. Backends that cannot do better stream it through <see cref="PutAsync"/>; the local store
    /// hard-links it in when it is on the same filesystem, instead of copying it. Wrappers forward it.
    /// </summary>
    Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default);

    /// <summary>Opens the object (or the given byte range of it) for reading. Throws <see cref="ObjectNotFoundException"/>.</summary>
    Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default);

    /// <summary>Size and modification time of an object. Throws <see cref="ObjectNotFoundException"/>.</summary>
    Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in ascending key order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object. Deleting a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}
