namespace Vaultik.Core.Restore;

/// <summary>The outcome of a restore: statistics and one message per entry that could not be restored.</summary>
public sealed record RestoreResult(RestoreStats Stats, IReadOnlyList<string> Errors)
{
    /// <summary>True when every selected entry was restored.</summary>
    public bool Ok => Errors.Count == 0;

    /// <summary>One warning per extended attribute the target refused (the entries themselves were restored).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>With --dry-run: the files that would be written.</summary>
    public IReadOnlyList<string> Planned { get; init; } = [];
}
