namespace Vaultik.Core.Locking;

/// <summary>
/// The store lock this run held lapsed (its refreshes failed for a whole lifetime), so another run may have
/// taken a conflicting one: the run stops instead of carrying on.
/// </summary>
public sealed class LockLostException : VaultikException
{
    public LockLostException(string doing, string reason, Exception? inner = null)
        : base($"cannot {doing}: lost the store lock ({reason})", inner)
    {
        Doing = doing;
        Reason = reason;
    }

    /// <summary>What could not be done, e.g. "finish snapshot &lt;id&gt;".</summary>
    public string Doing { get; }

    public string Reason { get; }
}
