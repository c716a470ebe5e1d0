using Vaultik.Core.Hooks;

namespace Vaultik.Core.Config;

/// <summary>One entry of the config's <c>snapshots:</c> map.</summary>
public sealed record SnapshotConfig(string Name, IReadOnlyList<string> Paths, IReadOnlyList<string> Exclude)
{
    /// <summary>This snapshot's <c>exclude_caches</c>, <c>exclude_if_present</c>, <c>exclude_larger_than</c>.</summary>
    public ExcludeKeys Excludes { get; init; } = ExcludeKeys.None;

    /// <summary><c>files_from</c>: an absolute path to a file listing more paths (read when the snapshot is planned).</summary>
    public string? FilesFrom { get; init; }

    public SnapshotHooks Hooks { get; init; } = SnapshotHooks.None;
}
