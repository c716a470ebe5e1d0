namespace Vaultik.Core.Restore;

/// <summary>Live counters of a restore and its final summary.</summary>
public sealed class RestoreStats
{
    private long _files;
    private long _directories;
    private long _symlinks;
    private long _bytesWritten;
    private long _bytesFetched;
    private long _blobs;
    private volatile string _phase = RestorePhases.Planning;
    private readonly HashSet<Hash256> _blobsRead = [];
    private readonly HashSet<Hash256> _blobsNeeded = [];

    public long Files => Interlocked.Read(ref _files);

    public long Directories => Interlocked.Read(ref _directories);

    public long Symlinks => Interlocked.Read(ref _symlinks);

    /// <summary>Bytes of file content written.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Bytes downloaded from the store (blob headers and ranges).</summary>
    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    public long BlobsRead => Interlocked.Read(ref _blobs);

    /// <summary>Files already in the target with the right content, left as they were (resume).</summary>
    public long FilesUnchanged { get; internal set; }

    /// <summary>Entries removed from the target by --delete.</summary>
    public long Deleted { get; internal set; }

    /// <summary>Stored bytes of the blobs the restore reads from (an upper bound on what it downloads; grows window by window, final when done).</summary>
    public long BlobBytesNeeded { get; private set; }

    /// <summary>Bytes of file content the restore will write in total (known once planned).</summary>
    public long BytesTotal { get; internal set; }

    /// <summary>Files (and hard links) the restore will create, counted in <see cref="Files"/> as each is finished (known once planned).</summary>
    public long FilesTotal { get; internal set; }

    /// <summary>What the restore is doing now, one of <see cref="RestorePhases"/>.</summary>
    public string Phase
    {
        get => _phase;
        internal set => _phase = value;
    }

    public TimeSpan Duration { get; internal set; }

    internal void File() => Interlocked.Increment(ref _files);

    internal void Directory() => Interlocked.Increment(ref _directories);

    internal void Symlink() => Interlocked.Increment(ref _symlinks);

    /// <summary>A file of <paramref name="bytes"/> already matched: it is not written, so it leaves the total.</summary>
    internal void Kept(long bytes)
    {
        FilesUnchanged++;
        BytesTotal -= bytes;
    }

    internal void Wrote(long bytes) => Interlocked.Add(ref _bytesWritten, bytes);

    /// <summary>Counts <paramref name="bytes"/> downloaded from <paramref name="blob"/>, and the blob once however many windows read it.</summary>
    internal void Fetched(long bytes, Hash256 blob)
    {
        Interlocked.Add(ref _bytesFetched, bytes);
        lock (_blobsRead)
        {
            if (_blobsRead.Add(blob))
            {
                Interlocked.Increment(ref _blobs);
            }
        }
    }

    /// <summary>Counts the stored size of each blob a window needs, once per blob.</summary>
    internal void Needs(IEnumerable<(Hash256 Hash, long Size)> blobs)
    {
        lock (_blobsNeeded)
        {
            foreach (var (hash, size) in blobs)
            {
                if (_blobsNeeded.Add(hash))
                {
                    BlobBytesNeeded += size;
                }
            }
        }
    }
}
