namespace Vaultik.Core.Metadata;

/// <summary>What the manifest says about who made a snapshot (and its tags), and the zstd level its metadata is stored at.</summary>
public sealed record SnapshotDescription(string Hostname, string Name, int CompressionLevel)
{
    /// <summary>Sorted and unique (<see cref="SnapshotTags.Normalize"/>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
