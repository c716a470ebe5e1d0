using System.Buffers;
using Vaultik.Core.Chunking;
using Vaultik.Core.Platform;
using Vaultik.Core.Source;

namespace Vaultik.Core.Create;

/// <summary>
/// One small file read whole into a pooled buffer by a <see cref="ReadAhead"/> worker, cut by FastCDC and
/// hashed there, with the same consistency check as the streaming read (<see cref="SourceReader"/>: a stat
/// after the read must agree with the one before, at most three tries). Holds no shared state: warnings
/// and statistics are left to the ordered consumer, which also returns the buffer (<see cref="Dispose"/>).
/// </summary>
internal sealed class SmallFileRead : IDisposable
{
    private byte[]? _buffer;

    private SmallFileRead(SourceEntry entry) => Entry = entry;

    /// <summary>The entry as read (size, times and mode from the stat after the read).</summary>
    public SourceEntry Entry { get; private set; }

    /// <summary>The chunks in file order: offset and length in <see cref="Content"/>, and hash.</summary>
    public List<(int Offset, int Length, Hash256 Hash)> Chunks { get; } = [];

    /// <summary>The file's bytes (valid until <see cref="Dispose"/>).</summary>
    public ReadOnlySpan<byte> Content => _buffer.AsSpan(0, Length);

    public int Length { get; private set; }

    /// <summary>A warning for the entry: with <see cref="Failed"/> why it could not be read, else that it kept changing.</summary>
    public string? Warning { get; private set; }

    /// <summary>The file could not be read at all (or vanished): it is skipped with <see cref="Warning"/>.</summary>
    public bool Failed { get; private set; }

    /// <summary>The file grew past the small-file limit while read: the consumer reads it with the streaming path.</summary>
    public bool TooLarge { get; private set; }

    public static SmallFileRead Run(SourceEntry entry, int limit, ChunkerOptions chunker, Func<string, Microsoft.Win32.SafeHandles.SafeFileHandle> open, int maxAttempts, CancellationToken cancellationToken)
    {
        var result = new SmallFileRead(entry);
        var current = entry;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (!result.ReadOnce(current, limit, open))
                {
                    result.TooLarge = true;
                    return result;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return result.Fail(SourceReader.ReasonOf(ex));
            }

            if (!Posix.TryLstat(current.FullPath, out var after, out _))
            {
                return result.Fail("vanished while being read");
            }

            var stable = after.Size == result.Length && after.Size == current.Size && after.MtimeNs == current.MtimeNs && after.CtimeNs == current.CtimeNs;
            var read = current with { Size = result.Length, MtimeNs = after.MtimeNs, CtimeNs = after.CtimeNs, Mode = after.Mode };
            if (stable || attempt == maxAttempts)
            {
                if (!stable)
                {
                    result.Warning = $"changed while being read {maxAttempts} times; stored the last version read, which may be inconsistent";
                    read = read with { CtimeNs = -1 };
                }

                result.Entry = read;
                result.Cut(chunker);
                return result;
            }

            current = read with { Size = after.Size };
        }
    }

    /// <summary>Reads the whole file; false when it holds more than <paramref name="limit"/> bytes.</summary>
    private bool ReadOnce(SourceEntry entry, int limit, Func<string, Microsoft.Win32.SafeHandles.SafeFileHandle> open)
    {
        using var handle = open(entry.FullPath);
        // One byte more than the stat said, so growth is seen without a second read at the end.
        var want = (int)Math.Min(limit + 1L, entry.Size + 1);
        if (_buffer is null || _buffer.Length < want)
        {
            Release();
            _buffer = ArrayPool<byte>.Shared.Rent(want);
        }

        Length = 0;
        while (true)
        {
            if (Length == _buffer.Length)
            {
                if (Length > limit)
                {
                    return false;
                }

                var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1L, 2L * _buffer.Length));
                _buffer.AsSpan(0, Length).CopyTo(bigger);
                Release();
                _buffer = bigger;
            }

            var n = RandomAccess.Read(handle, _buffer.AsSpan(Length), Length);
            if (n == 0)
            {
                return Length <= limit;
            }

            Length += n;
        }
    }

    private void Cut(ChunkerOptions chunker)
    {
        var offset = 0;
        while (offset < Length)
        {
            var length = FastCdc.FindCutPoint(_buffer.AsSpan(offset, Length - offset), chunker, out _);
            Chunks.Add((offset, length, Hash256.Compute(_buffer.AsSpan(offset, length))));
            offset += length;
        }
    }

    private SmallFileRead Fail(string reason)
    {
        Release();
        Length = 0;
        Failed = true;
        Warning = reason;
        return this;
    }

    private void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    public void Dispose() => Release();
}
