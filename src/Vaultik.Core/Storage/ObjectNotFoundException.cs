namespace Vaultik.Core.Storage;

/// <summary>The requested object does not exist in the store.</summary>
public sealed class ObjectNotFoundException : StorageException
{
    public ObjectNotFoundException(string key, Exception? inner = null)
        : base($"object {key} not found", inner) => Key = key;

    public string Key { get; }
}
