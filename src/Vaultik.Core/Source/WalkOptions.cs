namespace Vaultik.Core.Source;

/// <summary>What to leave out of a walk, and whether to stay on each root's filesystem.</summary>
public sealed record WalkOptions(IReadOnlyList<string> Excludes, bool OneFileSystem = true)
{
    /// <summary>CACHEDIR.TAG, marker files and the size limit.</summary>
    public ExcludeRules Rules { get; init; } = ExcludeRules.None;
}
