using Vaultik.Core.Index;
using Vaultik.Core.Source;

namespace Vaultik.Core.Create;

/// <summary>
/// A walked entry on its way from the walk thread to the ordered consumer (<see cref="ReadAhead"/>): for a
/// regular file its index record, looked up on the walk thread, and, when a worker reads it ahead, the read
/// that completes there.
/// </summary>
internal sealed class PlannedEntry(SourceEntry entry, IndexedFile? indexed)
{
    public SourceEntry Entry { get; } = entry;

    public IndexedFile? Indexed { get; } = indexed;

    /// <summary>The read a worker does ahead of the consumer; null when the consumer decides (and reads) itself.</summary>
    public TaskCompletionSource<SmallFileRead>? Read { get; init; }

    /// <summary>The bytes of the read-ahead budget this entry holds until the consumer is done with it.</summary>
    public long Budget { get; init; }
}
