namespace Vaultik.Core.Prune;

/// <summary>What carrying out a purge did after removing its snapshots: the prune it planned and the bytes that prune freed.</summary>
public sealed record PurgeResult(PrunePlan Prune, long BytesFreed);
