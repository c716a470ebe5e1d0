namespace Vaultik.Core.Restore;

/// <summary>The outcome of a restore: statistics and one message per entry that could not be restored.</summary>
public sealed record RestoreResult(RestoreStats Stats, IReadOnlyList<string> Errors)
{
    public int ExitCode => Errors.Count == 0 ? ExitCodes.Success : ExitCodes.Error;

    /// <summary>With --dry-run: the files that would be written.</summary>
    public IReadOnlyList<string> Planned { get; init; } = [];
}
