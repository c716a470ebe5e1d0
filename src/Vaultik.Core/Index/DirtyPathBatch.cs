namespace Vaultik.Core.Index;

/// <summary>
/// The daemon's dirty paths as read at the start of a run: every mark up to <see cref="ThroughId"/>, and the
/// paths themselves unless there were too many to be worth an incremental walk (then null).
/// </summary>
public sealed record DirtyPathBatch(long ThroughId, SortedSet<string>? Paths);
