namespace Vaultik.Core.Storage;

/// <summary>The failures <see cref="FaultInjectingObjectStore"/> can simulate.</summary>
[Flags]
public enum FaultKinds
{
    None = 0,

    /// <summary>A 503/SlowDown-style transient error before the operation runs.</summary>
    ServiceUnavailable = 1,

    /// <summary>A connection reset (IOException) before the operation runs.</summary>
    ConnectionReset = 2,

    /// <summary>A timeout before the operation runs.</summary>
    Timeout = 4,

    /// <summary>A read that fails partway through its body.</summary>
    TruncatedRead = 8,

    /// <summary>A write that succeeds but reports a failure (tests idempotent retries).</summary>
    FailAfterWrite = 16,

    All = ServiceUnavailable | ConnectionReset | Timeout | TruncatedRead | FailAfterWrite,
}
