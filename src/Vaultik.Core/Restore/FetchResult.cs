namespace Vaultik.Core.Restore;

/// <summary>The outcome of a fetch: the file's size and the blob bytes downloaded for it (metadata not counted).</summary>
public sealed record FetchResult(long FileSize, long BytesFetched);
