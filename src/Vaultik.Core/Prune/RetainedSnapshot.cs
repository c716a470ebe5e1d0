namespace Vaultik.Core.Prune;

/// <summary>
/// A snapshot a purge would remove but kept whole (manifest and metadata, so it is still listed) because Object
/// Lock retains <see cref="Objects"/>.
/// </summary>
public sealed record RetainedSnapshot(string Id, IReadOnlyList<RetainedObject> Objects);
