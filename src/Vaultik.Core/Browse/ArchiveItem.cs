using Vaultik.Core.Metadata;

namespace Vaultik.Core.Browse;

/// <summary>
/// One entry going into an archive: its name there (relative, '/'-separated), the snapshot entry (owner, mode,
/// mtime, type; for content, the file whose chunks to read), the name of an earlier member it is a hard link
/// of (tar only), and, for a regular file with content, <see cref="WriteContent"/> streaming it.
/// </summary>
public sealed record ArchiveItem(string Name, SnapshotEntry Entry, string? HardLinkName, Func<Stream, CancellationToken, Task>? WriteContent);
