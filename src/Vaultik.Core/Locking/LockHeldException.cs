namespace Vaultik.Core.Locking;

/// <summary>Another run holds a conflicting lock. The message names the holder.</summary>
public sealed class LockHeldException : VaultikException
{
    public LockHeldException(string message)
        : base(message)
    {
    }
}
