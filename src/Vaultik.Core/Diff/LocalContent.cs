using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Diff;

/// <summary>
/// Whether a live file's content differs from a snapshot's file (README, "diff"): a different size differs; the
/// same size and mtime is the same (as the backup's own change detection assumes); otherwise the file is read
/// once, chunk by chunk along the snapshot's chunk list, and each range's SHA-256 compared with the stored
/// chunk's hash, stopping at the first difference.
/// </summary>
public sealed class LocalContent
{
    private readonly MetadataReader _reader;

    public LocalContent(MetadataReader reader) => _reader = reader;

    /// <summary>Files read to decide (size equal, mtime not).</summary>
    public long FilesRead { get; private set; }

    public bool Differs(SnapshotEntry stored, SnapshotEntry live)
    {
        var source = stored;
        if (stored.HardlinkTo is not null)
        {
            // A hard link's data is its first path's.
            source = _reader.FindEntry(stored.HardlinkTo) ?? stored;
        }

        if (source.Size != live.Size)
        {
            return true;
        }

        if (source.MtimeNs == live.MtimeNs)
        {
            return false;
        }

        FilesRead++;
        try
        {
            using var file = new FileStream(Posix.OpenForReading("/" + live.Path), FileAccess.Read, 1 << 16);
            var buffer = new byte[1 << 20];
            long total = 0;
            foreach (var (chunk, blob, _) in _reader.FileChunks(source.Id))
            {
                if (blob is null)
                {
                    return true;
                }

                if (buffer.Length < chunk.PlainLength)
                {
                    buffer = new byte[chunk.PlainLength];
                }

                file.ReadExactly(buffer, 0, chunk.PlainLength);
                total += chunk.PlainLength;
                if (Hash256.Compute(buffer.AsSpan(0, chunk.PlainLength)) != chunk.Hash)
                {
                    return true;
                }
            }

            return total != live.Size || file.ReadByte() != -1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable or changed while read: it cannot be shown to be the same.
            return true;
        }
    }
}
