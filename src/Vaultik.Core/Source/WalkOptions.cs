namespace Vaultik.Core.Source;

/// <summary>What to leave out of a walk, and whether to stay on each root's filesystem.</summary>
public sealed record WalkOptions(IReadOnlyList<string> Excludes, bool OneFileSystem = true);
