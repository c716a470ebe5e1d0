using Vaultik.Core.Metadata;

namespace Vaultik.Core.Search;

/// <summary>
/// One step of a path's history across the searched snapshots (oldest first): <c>appeared</c> (first seen),
/// <c>unchanged</c>, <c>changed</c> (<see cref="Changed"/> names <c>type</c>, <c>size</c>, <c>mtime</c>),
/// <c>disappeared</c> (absent from this snapshot after being in the one before; no type, size or mtime) or
/// <c>reappeared</c>.
/// </summary>
public sealed record FindEvent(SnapshotManifest Snapshot, string Event, IReadOnlyList<string> Changed, string? Type, long? Size, long? MtimeNs)
{
    public bool IsMatch => Event != Disappeared;

    public const string Appeared = "appeared";
    public const string Unchanged = "unchanged";
    public const string ChangedEvent = "changed";
    public const string Disappeared = "disappeared";
    public const string Reappeared = "reappeared";
}
