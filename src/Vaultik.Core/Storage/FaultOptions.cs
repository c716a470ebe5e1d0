namespace Vaultik.Core.Storage;

/// <summary>
/// How often and how a <see cref="FaultInjectingObjectStore"/> fails: <see cref="FailureRate"/> of operations
/// (1.0 = all) with one of <see cref="Kinds"/>; with <see cref="FailAfterOperations"/>, every operation after
/// that many succeeds throws <see cref="InjectedCrashException"/> (a simulated crash); with <see cref="Latency"/>,
/// every operation waits that long before it starts (a slow store).
/// </summary>
public sealed record FaultOptions(double FailureRate, int? Seed = null, FaultKinds Kinds = FaultKinds.All, int? FailAfterOperations = null, TimeSpan Latency = default);
