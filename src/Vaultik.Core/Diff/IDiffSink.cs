using Vaultik.Core.Metadata;

namespace Vaultik.Core.Diff;

/// <summary>Where <see cref="TreeDiffer"/> reports, in path order (so output streams).</summary>
public interface IDiffSink
{
    void Added(SnapshotEntry entry);

    void Removed(SnapshotEntry entry);

    /// <summary><paramref name="what"/>: <see cref="EntryChanges"/>'s names, in that order.</summary>
    void Changed(SnapshotEntry before, SnapshotEntry after, IReadOnlyList<string> what);
}
