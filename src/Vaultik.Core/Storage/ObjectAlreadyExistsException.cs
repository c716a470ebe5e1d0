namespace Vaultik.Core.Storage;

/// <summary>A create-only put found the key already present.</summary>
public sealed class ObjectAlreadyExistsException : StorageException
{
    public ObjectAlreadyExistsException(string key, Exception? inner = null)
        : base($"object {key} already exists", inner) => Key = key;

    public string Key { get; }
}
