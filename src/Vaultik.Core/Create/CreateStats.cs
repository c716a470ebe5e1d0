namespace Vaultik.Core.Create;

/// <summary>Live counters of a running snapshot (read by progress displays) and its final summary.</summary>
public sealed class CreateStats
{
    private long _filesScanned;
    private long _filesNew;
    private long _filesChanged;
    private long _filesUnchanged;
    private long _filesSkipped;
    private long _bytesRead;
    private long _bytesNew;
    private long _bytesCompressed;
    private long _bytesUploaded;
    private long _chunksNew;
    private long _chunksDeduplicated;
    private long _blobsUploaded;
    private long _entriesReused;
    private long _bytesScanned;
    private long _bytesUnchanged;
    private volatile string _phase = CreatePhases.Starting;

    public long FilesScanned => Interlocked.Read(ref _filesScanned);

    public long FilesNew => Interlocked.Read(ref _filesNew);

    public long FilesChanged => Interlocked.Read(ref _filesChanged);

    public long FilesUnchanged => Interlocked.Read(ref _filesUnchanged);

    public long FilesSkipped => Interlocked.Read(ref _filesSkipped);

    /// <summary>Bytes of source files read (unchanged files are not read).</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Plaintext bytes of chunks not already in the store.</summary>
    public long BytesNew => Interlocked.Read(ref _bytesNew);

    /// <summary>Bytes of new chunks after compression.</summary>
    public long BytesCompressed => Interlocked.Read(ref _bytesCompressed);

    /// <summary>Stored (encrypted) bytes of the blobs uploaded.</summary>
    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    public long ChunksNew => Interlocked.Read(ref _chunksNew);

    public long ChunksDeduplicated => Interlocked.Read(ref _chunksDeduplicated);

    public long BlobsUploaded => Interlocked.Read(ref _blobsUploaded);

    /// <summary>Entries taken from the previous walk instead of listing their directories (daemon incremental runs).</summary>
    public long EntriesReused => Interlocked.Read(ref _entriesReused);

    /// <summary>Sizes of the regular files walked so far (as stat saw them): the known total, which grows while the walk goes on.</summary>
    public long BytesScanned => Interlocked.Read(ref _bytesScanned);

    /// <summary>Sizes of the files found unchanged (not read).</summary>
    public long BytesUnchanged => Interlocked.Read(ref _bytesUnchanged);

    /// <summary>What the run is doing now, one of <see cref="CreatePhases"/>.</summary>
    public string Phase
    {
        get => _phase;
        internal set => _phase = value;
    }

    public TimeSpan Duration { get; internal set; }

    /// <summary>The new snapshot's id, once it is chosen (before the walk's data is read); its manifest exists only if the run succeeds.</summary>
    public string? SnapshotId { get; internal set; }

    internal void EntryReused() => Interlocked.Increment(ref _entriesReused);

    internal void FileScanned(long size)
    {
        Interlocked.Increment(ref _filesScanned);
        Interlocked.Add(ref _bytesScanned, size);
    }

    internal void FileUnchanged(long size)
    {
        Interlocked.Increment(ref _filesUnchanged);
        Interlocked.Add(ref _bytesUnchanged, size);
    }

    internal void FileNew() => Interlocked.Increment(ref _filesNew);

    internal void FileChanged() => Interlocked.Increment(ref _filesChanged);

    internal void FileSkipped() => Interlocked.Increment(ref _filesSkipped);

    internal void Read(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    internal void NewChunk(long plainBytes)
    {
        Interlocked.Increment(ref _chunksNew);
        Interlocked.Add(ref _bytesNew, plainBytes);
    }

    internal void Compressed(long bytes) => Interlocked.Add(ref _bytesCompressed, bytes);

    internal void DuplicateChunk() => Interlocked.Increment(ref _chunksDeduplicated);

    internal void BlobUploaded(long bytes)
    {
        Interlocked.Increment(ref _blobsUploaded);
        Interlocked.Add(ref _bytesUploaded, bytes);
    }
}
