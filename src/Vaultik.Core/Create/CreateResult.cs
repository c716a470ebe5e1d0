using Vaultik.Core.Metadata;

namespace Vaultik.Core.Create;

/// <summary>The outcome of a completed snapshot: its manifest, statistics and the warnings raised.</summary>
public sealed record CreateResult(SnapshotManifest Manifest, CreateStats Stats, IReadOnlyList<string> Warnings)
{
    /// <summary>True when some entries were skipped or changed while being read (the snapshot is complete but partial).</summary>
    public bool IsPartial => Warnings.Count > 0;

    /// <summary>The failure of an <c>after</c> hook: the snapshot is made and stays, but the run is an error (exit 1).</summary>
    public string? HookError { get; init; }
}
