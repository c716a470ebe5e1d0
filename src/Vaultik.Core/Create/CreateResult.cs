using Vaultik.Core.Metadata;

namespace Vaultik.Core.Create;

/// <summary>The outcome of a completed snapshot: its manifest, statistics and the warnings raised.</summary>
public sealed record CreateResult(SnapshotManifest Manifest, CreateStats Stats, IReadOnlyList<string> Warnings)
{
    /// <summary>0 when every entry was captured, 3 when some were skipped or changed while being read.</summary>
    public int ExitCode => Warnings.Count == 0 ? ExitCodes.Success : ExitCodes.PartialSnapshot;
}
