using System.Diagnostics;
using Vaultik.Age;
using Vaultik.Core;
using Vaultik.Core.Chunking;
using Vaultik.Core.Config;
using Vaultik.Core.Packing;
using Vaultik.Core.Platform;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Bench;

/// <summary>
/// One single-threaded pass over a corpus that does, one after the other and each timed apart, what a first
/// backup does to it: walk (getdents64) and lstat every entry, open and read every regular file, cut it with
/// FastCDC, hash every chunk with SHA-256, compress every chunk not seen before in the pass with each
/// <see cref="CompressionLine"/>, and age-encrypt the first line's frames (a new age file every blob size
/// limit, to a null sink). Memory is one chunker buffer, one frame buffer and the set of chunk hashes seen.
/// With <c>primitivesUpTo</c> set the pass only reads (to warm the page cache) and runs the primitives over the
/// first that many bytes (to let the JIT optimise them); its times are discarded.
/// </summary>
public sealed class CorpusPass
{
    private readonly ChunkerOptions _options = new((int)ConfigDefaults.ChunkMinSize, (int)ConfigDefaults.ChunkAvgSize, (int)ConfigDefaults.ChunkMaxSize);
    private readonly IReadOnlyList<CompressionLine> _lines;
    private readonly IRecipient _recipient;
    private readonly long _primitivesUpTo;
    private readonly byte[] _frame;
    private readonly HashSet<Hash256> _seen = [];
    private Stream? _age;
    private long _ageBytes;

    public CorpusPass(IReadOnlyList<CompressionLine> lines, IRecipient recipient, long primitivesUpTo = long.MaxValue)
    {
        _lines = lines;
        _recipient = recipient;
        _primitivesUpTo = primitivesUpTo;
        _frame = new byte[ChunkCodec.MaxFrameLength(_options.MaxSize)];
        CompressTicks = new long[lines.Count];
        CompressedBytes = new long[lines.Count];
    }

    public long WalkTicks { get; private set; }
    public long OpenReadTicks { get; private set; }
    public long ChunkTicks { get; private set; }
    public long HashTicks { get; private set; }
    public long[] CompressTicks { get; }
    public long AgeTicks { get; private set; }
    public long Entries { get; private set; }
    public long Files { get; private set; }
    public long Bytes { get; private set; }
    public long Chunks { get; private set; }
    public long UniqueChunks { get; private set; }
    public long UniqueBytes { get; private set; }
    public long[] CompressedBytes { get; }

    /// <summary>Walks <paramref name="root"/> depth first, never following symlinks.</summary>
    public void Run(string root)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out var dir))
        {
            var start = Stopwatch.GetTimestamp();
            List<string> names;
            using (var handle = Posix.TryOpenDirectory(dir, out var errno) ?? throw new IOException($"cannot list {dir}: errno {errno}"))
            {
                names = DirectoryEntries.Names(handle, dir);
            }

            WalkTicks += Stopwatch.GetTimestamp() - start;
            foreach (var name in names)
            {
                var path = Path.Join(dir, name);
                start = Stopwatch.GetTimestamp();
                var found = Posix.TryLstat(path, out var status, out _);
                WalkTicks += Stopwatch.GetTimestamp() - start;
                Entries++;
                if (!found)
                {
                    continue;
                }

                if (status.IsDirectory)
                {
                    pending.Push(path);
                }
                else if (status.IsRegular)
                {
                    ReadFile(path);
                }
            }
        }

        FinishAge();
    }

    private void ReadFile(string path)
    {
        var start = Stopwatch.GetTimestamp();
        var handle = Posix.OpenForReading(path);
        var timed = new TimedReadStream(new FileStream(handle, FileAccess.Read, bufferSize: 0));
        OpenReadTicks += Stopwatch.GetTimestamp() - start;
        Files++;
        using (timed)
        using (var chunker = new StreamChunker(timed, _options))
        {
            while (true)
            {
                var readBefore = timed.Ticks;
                start = Stopwatch.GetTimestamp();
                var more = chunker.TryReadNext(out var chunk);
                ChunkTicks += Stopwatch.GetTimestamp() - start - (timed.Ticks - readBefore);
                if (!more)
                {
                    break;
                }

                if (Bytes < _primitivesUpTo)
                {
                    Chunk(chunk.Span);
                }

                Bytes += chunk.Length;
            }

            OpenReadTicks += timed.Ticks;
        }

        // The reader lstats a file again after reading it, to see whether it changed meanwhile.
        start = Stopwatch.GetTimestamp();
        _ = Posix.TryLstat(path, out _, out _);
        WalkTicks += Stopwatch.GetTimestamp() - start;
    }

    private void Chunk(ReadOnlySpan<byte> chunk)
    {
        Chunks++;
        var start = Stopwatch.GetTimestamp();
        var hash = Hash256.Compute(chunk);
        HashTicks += Stopwatch.GetTimestamp() - start;
        if (!_seen.Add(hash))
        {
            return;
        }

        UniqueChunks++;
        UniqueBytes += chunk.Length;
        var stored = 0;
        for (var i = 0; i < _lines.Count; i++)
        {
            start = Stopwatch.GetTimestamp();
            var length = _lines[i].Compress(chunk, _frame);
            CompressTicks[i] += Stopwatch.GetTimestamp() - start;
            CompressedBytes[i] += length;
            if (i == 0)
            {
                stored = length;
            }
        }

        // The first line's frame is still in _frame when it is the only line; otherwise compress it again (untimed).
        if (_lines.Count > 1)
        {
            stored = _lines[0].Compress(chunk, _frame);
        }

        start = Stopwatch.GetTimestamp();
        if (_age is not null && _ageBytes + stored > ConfigDefaults.BlobSizeLimit)
        {
            _age.Dispose();
            _age = null;
            _ageBytes = 0;
        }

        _age ??= AgeFile.Encrypt(Stream.Null, [_recipient]);
        _age.Write(_frame.AsSpan(0, stored));
        _ageBytes += stored;
        AgeTicks += Stopwatch.GetTimestamp() - start;
    }

    private void FinishAge()
    {
        var start = Stopwatch.GetTimestamp();
        _age?.Dispose();
        _age = null;
        AgeTicks += Stopwatch.GetTimestamp() - start;
    }
}
