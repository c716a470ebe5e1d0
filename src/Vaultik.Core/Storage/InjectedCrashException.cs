namespace Vaultik.Core.Storage;

/// <summary>A simulated crash from <see cref="FaultInjectingObjectStore"/>: not transient, never retried.</summary>
public sealed class InjectedCrashException : StorageException
{
    public InjectedCrashException(string operation, string key)
        : base($"cannot {operation} {key}: injected crash")
    {
    }
}
