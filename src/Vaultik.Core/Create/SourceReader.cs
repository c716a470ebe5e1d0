using Vaultik.Core.Chunking;
using Vaultik.Core.Index;
using Vaultik.Core.Platform;
using Vaultik.Core.Source;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Create;

/// <summary>
/// The first stage of <c>snapshot create</c>: for each walked entry decides whether the file is unchanged
/// (same size, mtime, ctime, inode and device as indexed, and every chunk still stored), and otherwise reads
/// it through FastCDC, hashes each chunk and submits the chunks not yet stored. Writes one metadata row per
/// entry. <see cref="Plan"/> runs on the walk thread (the index lookup) and <see cref="ReadSmall"/> on the
/// <see cref="ReadAhead"/> workers; everything else, including every change to the chunk set (in memory),
/// the pipeline and the metadata, runs on the one consumer thread, in walk order.
/// </summary>
internal sealed class SourceReader
{
    private const int MaxReadAttempts = 3;

    private readonly FileFingerprints _files;
    private readonly HashSet<Hash256> _known;
    private readonly CreatePipeline _pipeline;
    private readonly MetadataDbWriter _metadata;
    private readonly ChunkerOptions _chunker;
    private readonly CreateStats _stats;
    private readonly Action<string, string> _warn;
    private readonly Dictionary<(ulong Device, ulong Inode), string> _hardLinks = [];

    public SourceReader(
        FileFingerprints files, HashSet<Hash256> known, CreatePipeline pipeline, MetadataDbWriter metadata,
        ChunkerOptions chunker, CreateStats stats, Action<string, string> warn)
    {
        _files = files;
        _known = known;
        _pipeline = pipeline;
        _metadata = metadata;
        _chunker = chunker;
        _stats = stats;
        _warn = warn;
    }

    /// <summary>Opens a source file for reading (<see cref="CreateOptions.OpenSource"/>).</summary>
    public Func<string, Microsoft.Win32.SafeHandles.SafeFileHandle> Open { get; init; } = Posix.OpenForReading;

    /// <summary>
    /// Looks up a walked entry in the index (walk thread). With <paramref name="readAhead"/>, a small regular
    /// file with one link whose stat fingerprint the index does not vouch for gets a read for a worker.
    /// </summary>
    public PlannedEntry Plan(SourceEntry entry, bool readAhead)
    {
        if (entry.Type != EntryType.File)
        {
            return new PlannedEntry(entry, null);
        }

        var indexed = _files.Find(entry.Path);
        var ahead = readAhead && entry.LinkCount <= 1 && entry.Size <= ReadAhead.SmallFileLimit && !SameFingerprint(entry, indexed);
        return ahead
            ? new PlannedEntry(entry, indexed) { Read = new TaskCompletionSource<SmallFileRead>(TaskCreationOptions.RunContinuationsAsynchronously), Budget = entry.Size + 4096 }
            : new PlannedEntry(entry, indexed);
    }

    /// <summary>Reads a small file whole (a <see cref="ReadAhead"/> worker); touches no shared state.</summary>
    public SmallFileRead ReadSmall(SourceEntry entry, CancellationToken cancellationToken) =>
        SmallFileRead.Run(entry, ReadAhead.SmallFileLimit, _chunker, Open, MaxReadAttempts, cancellationToken);

    /// <summary>Adds one entry on the calling thread alone (lookup and read included).</summary>
    public void Add(SourceEntry entry, CancellationToken cancellationToken) => Add(Plan(entry, readAhead: false), cancellationToken);

    /// <summary>Adds one planned entry (the consumer, in walk order), waiting for its read ahead if it has one.</summary>
    public void Add(PlannedEntry planned, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entry = planned.Entry;
        if (entry.Type != EntryType.File)
        {
            _metadata.Add(entry, null);
            return;
        }

        _stats.FileScanned(entry.Size);
        // A later name of an inode links to the first name stored with content; a name that could not be read
        // is not that first name, so the next name that can is read and stored instead.
        if (entry.LinkCount > 1 && _hardLinks.TryGetValue((entry.Device, entry.Inode), out var first))
        {
            _metadata.Add(entry, null, hardlinkTo: first);
            _stats.FileUnchanged(entry.Size);
            return;
        }

        var indexed = planned.Indexed;
        if (indexed?.Chunks is not null && IsUnchanged(entry, indexed))
        {
            foreach (var _ in indexed.Chunks)
            {
                _stats.DuplicateChunk();
            }

            _metadata.Add(entry, indexed.Chunks, unchanged: true);
            _stats.FileUnchanged(entry.Size);
            RememberLinked(entry);
            return;
        }

        var read = planned.Read is null ? ReadConsistently(entry, cancellationToken) : TakeReadAhead(planned, cancellationToken);
        if (read is null)
        {
            _stats.FileSkipped();
            return;
        }

        if (indexed is null)
        {
            _stats.FileNew();
        }
        else
        {
            _stats.FileChanged();
        }

        _metadata.Add(read.Value.Entry, read.Value.Chunks);
        RememberLinked(entry);
    }

    /// <summary>Makes <paramref name="entry"/>, just stored with its content, the name later names of its inode link to.</summary>
    private void RememberLinked(SourceEntry entry)
    {
        if (entry.LinkCount > 1)
        {
            _hardLinks.TryAdd((entry.Device, entry.Inode), entry.Path);
        }
    }

    /// <summary>
    /// Stores <paramref name="content"/>, read to its end, as the regular file <paramref name="entry"/> (its
    /// size is what was read). A read error fails the snapshot. No fingerprint enters the index: a stream is
    /// read again every time.
    /// </summary>
    public void AddStream(SourceEntry entry, Stream content, CancellationToken cancellationToken)
    {
        // A stream's size is known only once it ends: it joins the scanned total then.
        var (chunks, length) = ReadChunks(content, cancellationToken);
        _stats.FileScanned(length);
        _stats.FileNew();
        _metadata.Add(entry with { Size = length }, chunks, fingerprint: false);
    }

    /// <summary>Whether the index has a chunk list for the file and the same size, mtime, ctime, inode and device.</summary>
    private static bool SameFingerprint(SourceEntry entry, IndexedFile? indexed) =>
        indexed?.Chunks is not null && indexed.Size == entry.Size && indexed.MtimeNs == entry.MtimeNs && indexed.CtimeNs == entry.CtimeNs
        && indexed.Inode == entry.Inode && indexed.Device == entry.Device;

    private bool IsUnchanged(SourceEntry entry, IndexedFile indexed)
    {
        if (!SameFingerprint(entry, indexed))
        {
            return false;
        }

        foreach (var chunk in indexed.Chunks!)
        {
            if (!_known.Contains(chunk))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Reads a file until two stats taken before and after the read agree (at most three tries). A file that
    /// keeps changing is stored as last read, with a warning and a fingerprint that forces a re-read next time.
    /// Returns null when the file cannot be read at all.
    /// </summary>
    private (SourceEntry Entry, List<Hash256> Chunks)? ReadConsistently(SourceEntry entry, CancellationToken cancellationToken)
    {
        var current = entry;
        for (var attempt = 1; ; attempt++)
        {
            List<Hash256> chunks;
            long length;
            try
            {
                (chunks, length) = ReadOnce(current.FullPath, cancellationToken);
            }
            catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && !_pipeline.HasFailed)
            {
                _warn(current.FullPath, ReasonOf(ex));
                return null;
            }

            if (!Posix.TryLstat(current.FullPath, out var after, out _))
            {
                _warn(current.FullPath, "vanished while being read");
                return null;
            }

            var stable = after.Size == length && after.Size == current.Size && after.MtimeNs == current.MtimeNs && after.CtimeNs == current.CtimeNs;
            var read = current with { Size = length, MtimeNs = after.MtimeNs, CtimeNs = after.CtimeNs, Mode = after.Mode };
            if (stable)
            {
                return (read, chunks);
            }

            if (attempt == MaxReadAttempts)
            {
                _warn(current.FullPath, $"changed while being read {MaxReadAttempts} times; stored the last version read, which may be inconsistent");
                return (read with { CtimeNs = -1 }, chunks);
            }

            current = read with { Size = after.Size };
        }
    }

    /// <summary>
    /// The outcome of a worker's read, taken in walk order: the same warnings, statistics and submissions as
    /// <see cref="ReadConsistently"/>; a file that grew past the limit meanwhile is read here, streaming.
    /// </summary>
    private (SourceEntry Entry, List<Hash256> Chunks)? TakeReadAhead(PlannedEntry planned, CancellationToken cancellationToken)
    {
        var task = planned.Read!.Task;
        Task.WaitAny([task], cancellationToken);
        using var ahead = task.GetAwaiter().GetResult();
        if (ahead.TooLarge)
        {
            return ReadConsistently(planned.Entry, cancellationToken);
        }

        if (ahead.Warning is not null)
        {
            _warn(planned.Entry.FullPath, ahead.Warning);
        }

        if (ahead.Failed)
        {
            return null;
        }

        var chunks = new List<Hash256>(ahead.Chunks.Count);
        foreach (var (offset, length, hash) in ahead.Chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            chunks.Add(hash);
            _stats.Read(length);
            if (_known.Add(hash))
            {
                _stats.NewChunk(length);
                _pipeline.Submit(hash, ahead.Content.Slice(offset, length));
            }
            else
            {
                _stats.DuplicateChunk();
            }
        }

        return (ahead.Entry, chunks);
    }

    private (List<Hash256> Chunks, long Length) ReadOnce(string fullPath, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(Open(fullPath), FileAccess.Read, bufferSize: 0);
        return ReadChunks(stream, cancellationToken);
    }

    private (List<Hash256> Chunks, long Length) ReadChunks(Stream stream, CancellationToken cancellationToken)
    {
        var chunks = new List<Hash256>();
        long length = 0;
        using var chunker = new StreamChunker(stream, _chunker);
        while (chunker.TryReadNext(out var chunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var hash = Hash256.Compute(chunk.Span);
            chunks.Add(hash);
            length += chunk.Length;
            _stats.Read(chunk.Length);
            if (_known.Add(hash))
            {
                _stats.NewChunk(chunk.Length);
                _pipeline.Submit(hash, chunk.Span);
            }
            else
            {
                _stats.DuplicateChunk();
            }
        }

        return (chunks, length);
    }

    internal static string ReasonOf(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "vanished before it could be read",
        _ => ex.Message,
    };
}
