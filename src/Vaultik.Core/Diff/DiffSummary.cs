namespace Vaultik.Core.Diff;

/// <summary>
/// Counts of a diff: entries added, removed, changed and unchanged, and bytes: the sizes of added and of removed
/// files, and the growth of changed ones (after minus before, may be negative).
/// </summary>
public sealed record DiffSummary(long Added, long Removed, long Changed, long Unchanged, long BytesAdded, long BytesRemoved, long BytesChanged);
