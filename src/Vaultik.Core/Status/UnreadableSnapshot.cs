namespace Vaultik.Core.Status;

/// <summary>A snapshot directory whose manifest cannot be parsed: counted as incomplete in its group, its blobs unknown.</summary>
public sealed record UnreadableSnapshot(string Id, string Reason);
