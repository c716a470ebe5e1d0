namespace Vaultik.Core.Storage;

/// <summary>A delete refused because S3 Object Lock still retains the object (or one of its versions).</summary>
public sealed class ObjectRetainedException : StorageException
{
    public ObjectRetainedException(string key, DateTimeOffset? until, Exception? inner = null)
        : base($"cannot delete {key}: Object Lock retains it{(until is { } u ? $" until {u.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z" : string.Empty)}", inner)
    {
        Key = key;
        RetainUntil = until;
    }

    public string Key { get; }

    public DateTimeOffset? RetainUntil { get; }
}
