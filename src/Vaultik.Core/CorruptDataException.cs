namespace Vaultik.Core;

/// <summary>Data read back from the store is damaged: a hash, length, frame or authentication check failed.</summary>
public sealed class CorruptDataException : VaultikException
{
    public CorruptDataException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
