namespace Vaultik.Core.Storage;

/// <summary>
/// How often and how a <see cref="FaultInjectingObjectStore"/> fails: <see cref="FailureRate"/> of operations
/// (1.0 = all) with one of <see cref="Kinds"/>; with <see cref="FailAfterOperations"/>, every operation after
/// that many succeeds throws <see cref="InjectedCrashException"/> (a simulated crash); with <see cref="Latency"/>,
/// every operation waits that long before it starts (a slow store). With <see cref="KeyPrefix"/>, only operations
/// on keys (or list prefixes) starting with it are affected, and only they are counted.
/// </summary>
public sealed record FaultOptions(
    double FailureRate, int? Seed = null, FaultKinds Kinds = FaultKinds.All, int? FailAfterOperations = null, TimeSpan Latency = default, string? KeyPrefix = null)
{
    /// <summary>Whether the faults apply to an operation on <paramref name="key"/>.</summary>
    public bool Applies(string key) => KeyPrefix is null || key.StartsWith(KeyPrefix, StringComparison.Ordinal);

    /// <summary>Told of every counted operation: its number (from 1), kind (read, write, stat, list, delete) and key, before it runs or crashes.</summary>
    public Action<long, string, string>? OnOperation { get; init; }
}
