using Vaultik.Core.Metadata;

namespace Vaultik.Core.Prune;

/// <summary>What a purge would do, decided before anything is removed: the snapshots a retention policy keeps and those it removes.</summary>
public sealed record PurgePlan(IReadOnlyList<SnapshotManifest> Keep, IReadOnlyList<SnapshotManifest> Remove)
{
    public bool IsEmpty => Remove.Count == 0;
}
