namespace Vaultik.Core.Catalog;

/// <summary>What the catalog makes of one snapshot directory (docs/FORMAT.md, "Remote layout" and "Trust").</summary>
public enum CatalogStatus
{
    /// <summary>Manifest and metadata present, sizes agree, nothing suspect: listed, may be <c>latest</c>, counted by keep rules.</summary>
    Complete,

    /// <summary>Complete, but the manifest's claims disagree with its id or the store's clock: listed with a flag, never <c>latest</c>, never counted or removed by keep rules.</summary>
    Suspect,

    /// <summary>No manifest, or a manifest whose metadata object is missing or of another size: never listed.</summary>
    Incomplete,

    /// <summary>A manifest that cannot be read or parsed: list, purge and prune refuse to guess.</summary>
    Unreadable,
}
