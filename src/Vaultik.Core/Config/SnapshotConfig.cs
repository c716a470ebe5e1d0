using Vaultik.Core.Hooks;

namespace Vaultik.Core.Config;

/// <summary>One entry of the config's <c>snapshots:</c> map: <see cref="Paths"/>, or a <see cref="Command"/> whose output is stored as one file.</summary>
public sealed record SnapshotConfig(string Name, IReadOnlyList<string> Paths, IReadOnlyList<string> Exclude)
{
    /// <summary><c>command:</c> the argv of a command (no shell) whose standard output is the snapshot's one file; null for a <c>paths:</c> job.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary><c>stdin_filename:</c> the name the command's output is stored under (default <c>stdin</c>).</summary>
    public string StdinFilename { get; init; } = "stdin";

    /// <summary>This snapshot's <c>exclude_caches</c>, <c>exclude_if_present</c>, <c>exclude_larger_than</c>.</summary>
    public ExcludeKeys Excludes { get; init; } = ExcludeKeys.None;

    /// <summary><c>files_from</c>: an absolute path to a file listing more paths (read when the snapshot is planned).</summary>
    public string? FilesFrom { get; init; }

    public SnapshotHooks Hooks { get; init; } = SnapshotHooks.None;

    /// <summary>The entry's <c>tags:</c>, sorted and unique, given to every snapshot it makes.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
