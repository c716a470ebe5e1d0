namespace Vaultik.Core.Create;

/// <summary>
/// The command line's <c>--exclude-caches</c>, <c>--exclude-if-present FILE</c>, <c>--exclude-larger-than SIZE</c>
/// and <c>--files-from FILE</c>, as given (checked by <see cref="SnapshotJobs.Plan"/>).
/// </summary>
public sealed record SourceFlags(bool ExcludeCaches, IReadOnlyList<string> ExcludeIfPresent, string? ExcludeLargerThan, IReadOnlyList<string> FilesFrom)
{
    public static readonly SourceFlags None = new(false, [], null, []);
}
