namespace Vaultik.Core.Index;

/// <summary>What reconciling the index with the store's blob listing removed.</summary>
public readonly record struct ReconcileResult(int BlobsForgotten, int ChunksForgotten);
