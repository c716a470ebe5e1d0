namespace Vaultik.Core.Create;

/// <summary>
/// What a <see cref="SnapshotSession"/> run produced: the snapshots made, and one line for each snapshot a
/// failing <c>before</c> hook skipped or each <c>on_failure</c> hook that failed (each an error: exit 1).
/// </summary>
public sealed record SessionResult(IReadOnlyList<CreateResult> Created, IReadOnlyList<string> Errors);
