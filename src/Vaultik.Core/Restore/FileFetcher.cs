using Vaultik.Age;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;
using Vaultik.Core.Storage;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Streams one file of a snapshot in order, downloading only the age STREAM chunks that cover its frames
/// (each blob's header once, then ranged reads of consecutive frames), and checking every chunk's SHA-256.
/// Memory is bounded by one chunk whatever the file or blob size. Fed by the CLI's fetch verb (with a
/// <see cref="MetadataReader"/> over the downloaded metadata); writes to a caller's stream or atomically to a file.
/// </summary>
public sealed class FileFetcher
{
    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IIdentity> _identities;

    public FileFetcher(IObjectStore store, IReadOnlyList<IIdentity> identities)
    {
        _store = store;
        _identities = identities;
    }

    /// <summary>Bytes downloaded for content (blob headers and ranges), not counting the metadata.</summary>
    public long BytesFetched { get; private set; }

    /// <summary>
    /// Finds <paramref name="path"/> in the snapshot: a regular file (a hard link is followed to its target);
    /// anything else is a <see cref="VaultikException"/> saying what it is.
    /// </summary>
    public static SnapshotEntry Find(MetadataReader snapshot, string path, string snapshotId)
    {
        var normalized = PathRules.NormalizeSelector(path);
        var entry = snapshot.FindEntry(normalized) ?? throw new VaultikException($"cannot fetch {path}: no such file in snapshot {snapshotId}");
        return entry.Type switch
        {
            MetadataSchema.TypeDirectory => throw new VaultikException($"cannot fetch {path}: it is a directory (use restore with a PATH)"),
            MetadataSchema.TypeSymlink => throw new VaultikException($"cannot fetch {path}: it is a symlink to {entry.LinkTarget}"),
            _ when entry.HardlinkTo is { } target => (snapshot.FindEntry(target) ?? throw new VaultikException($"cannot fetch {path}: it is a hard link of {target}, which is missing")) with { Path = entry.Path, Mode = entry.Mode, MtimeNs = entry.MtimeNs },
            _ => entry,
        };
    }

    public async Task WriteAsync(MetadataReader snapshot, SnapshotEntry file, Stream output, CancellationToken cancellationToken)
    {
        var chunks = snapshot.FileChunks(file.Id);
        if (chunks.Any(c => c.Blob is null) || chunks.Sum(c => (long)c.Chunk.PlainLength) != file.Size)
        {
            throw new CorruptDataException($"cannot fetch {file.Path}: its chunk list in the metadata is inconsistent");
        }

        var readers = new Dictionary<string, BlobReader>(StringComparer.Ordinal);
        for (var i = 0; i < chunks.Count;)
        {
            // A run: consecutive chunks of one blob in increasing frame order, read with one ranged request.
            var j = i + 1;
            while (j < chunks.Count && chunks[j].Blob == chunks[i].Blob && chunks[j].Chunk.FrameOffset >= chunks[j - 1].Chunk.FrameEnd)
            {
                j++;
            }

            var blob = chunks[i].Blob!;
            if (!readers.TryGetValue(blob, out var reader))
            {
                reader = await BlobReader.OpenAsync(_store, Hash256.Parse(blob), chunks[i].BlobSize, _identities, cancellationToken).ConfigureAwait(false);
                readers[blob] = reader;
            }

            var before = reader.BytesFetched;
            var run = chunks.GetRange(i, j - i).Select(c => c.Chunk).ToList();
            var next = 0;
            await reader.ReadChunksAsync(run, async (chunk, data) =>
            {
                // ReadChunksAsync skips repeated frames; write the data once per use in the run.
                while (next < run.Count && run[next].FrameOffset == chunk.FrameOffset)
                {
                    await output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                    next++;
                }
            }, cancellationToken).ConfigureAwait(false);
            BytesFetched += reader.BytesFetched - before;
            i = j;
        }

        BytesFetched += readers.Values.Sum(r => r.HeaderBytes);
    }

    /// <summary>
    /// Writes <paramref name="file"/> to <paramref name="target"/> atomically: into a temporary file beside it
    /// (created O_CREAT|O_EXCL|O_NOFOLLOW at 0600, so nobody else can read it or plant a link in its place),
    /// flushed to disk, given the file's mode through its handle (without setuid, setgid or sticky: the file
    /// belongs to whoever fetches it, see <see cref="EntryMetadata.PermissionBits"/>) and its mtime, then renamed
    /// over <paramref name="target"/>. On failure the temporary file is removed and <paramref name="target"/> is
    /// left as it was.
    /// </summary>
    public async Task WriteToFileAsync(MetadataReader snapshot, SnapshotEntry file, string target, CancellationToken cancellationToken)
    {
        target = Path.GetFullPath(target);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.vaultik-{Guid.NewGuid():N}");
        try
        {
            var handle = Posix.CreateForWriting(temp);
            await using (var stream = new FileStream(handle, FileAccess.Write, 1 << 16))
            {
                await WriteAsync(snapshot, file, stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
                File.SetUnixFileMode(handle, (UnixFileMode)EntryMetadata.PermissionBits(file.Mode, isDirectory: false, ownerRestored: false));
            }

            Posix.SetTimes(temp, file.MtimeNs, file.MtimeNs, noFollow: true);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
