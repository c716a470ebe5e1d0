namespace Vaultik.Core.Storage;

/// <summary>
/// A store operation failed. <see cref="IsTransient"/> tells retry wrappers whether trying again may help
/// (timeouts, resets, 5xx, SlowDown) or not (missing bucket, bad credentials, not found).
/// </summary>
public class StorageException : VaultikException
{
    public StorageException(string message, Exception? inner = null, bool isTransient = false)
        : base(message, inner) => IsTransient = isTransient;

    public bool IsTransient { get; }
}
