namespace Vaultik.Core.Search;

/// <summary>What a find did: snapshots searched (of them served from the cache), matching paths, and matches (a path in a snapshot).</summary>
public sealed record FindSummary(int SnapshotsSearched, int FromCache, long Paths, long Matches);
