namespace Vaultik.Core.Config;

/// <summary>One entry of the config's <c>snapshots:</c> map.</summary>
public sealed record SnapshotConfig(string Name, IReadOnlyList<string> Paths, IReadOnlyList<string> Exclude)
{
    /// <summary>The entry's <c>tags:</c>, sorted and unique, given to every snapshot it makes.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
