using Vaultik.Core.Catalog;

namespace Vaultik.Core.Prune;

/// <summary>
/// What a purge would do, decided before anything is removed: the snapshots a retention policy keeps and
/// those it removes, and the suspect snapshots it leaves alone (never counted, kept or removed by keep rules).
/// </summary>
public sealed record PurgePlan(IReadOnlyList<CatalogEntry> Keep, IReadOnlyList<CatalogEntry> Remove, IReadOnlyList<CatalogEntry> Suspect)
{
    public bool IsEmpty => Remove.Count == 0;
}
