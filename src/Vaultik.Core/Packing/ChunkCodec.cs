using ZstdSharp;

namespace Vaultik.Core.Packing;

/// <summary>
/// Encodes a chunk as one self-contained zstd frame (content size recorded in its header), compressed at the
/// configured level or made of raw blocks (<see cref="RawFrame"/>) as <see cref="ChunkCompression"/> says,
/// and decompresses a frame back, refusing frames that claim or produce anything but the expected length.
/// One instance per thread: the zstd contexts are reused.
/// </summary>
public sealed class ChunkCodec : IDisposable
{
    private readonly Compressor _compressor;
    private readonly Decompressor _decompressor = new();
    private readonly ChunkCompression _mode;
    private CompressibilityProbe? _probe;

    /// <summary>A codec that compresses every chunk at <paramref name="compressionLevel"/> (<see cref="ChunkCompression.Max"/>).</summary>
    public ChunkCodec(int compressionLevel)
        : this(compressionLevel, ChunkCompression.Max)
    {
    }

    public ChunkCodec(int compressionLevel, ChunkCompression mode)
    {
        if (compressionLevel is < 1 or > 22)
        {
            throw new ArgumentOutOfRangeException(nameof(compressionLevel), "zstd levels are 1..22");
        }

        _compressor = new Compressor(compressionLevel);
        _mode = mode;
    }

    /// <summary>The largest frame a chunk of <paramref name="plainLength"/> bytes can be encoded as.</summary>
    public static int MaxFrameLength(int plainLength) => Math.Max(Compressor.GetCompressBound(plainLength), RawFrame.Length(plainLength));

    /// <summary>Encodes <paramref name="chunk"/> into <paramref name="frame"/> as the mode says; returns the frame length.</summary>
    public int Compress(ReadOnlySpan<byte> chunk, Span<byte> frame)
    {
        switch (_mode)
        {
            case ChunkCompression.Max:
                return _compressor.Wrap(chunk, frame);
            case ChunkCompression.Off:
                return RawFrame.Write(chunk, frame);
        }

        _probe ??= new CompressibilityProbe();
        if (!_probe.LooksCompressible(chunk))
        {
            return RawFrame.Write(chunk, frame);
        }

        var length = _compressor.Wrap(chunk, frame);
        return length > RawFrame.Length(chunk.Length) ? RawFrame.Write(chunk, frame) : length;
    }

    /// <summary>
    /// Decompresses one frame into exactly <paramref name="plain"/>.Length bytes.
    /// Throws <see cref="CorruptDataException"/> when the frame is malformed or its size is not that length.
    /// </summary>
    public void Decompress(ReadOnlySpan<byte> frame, Span<byte> plain, string what)
    {
        ulong declared;
        try
        {
            declared = Decompressor.GetDecompressedSize(frame);
        }
        catch (ZstdException ex)
        {
            throw new CorruptDataException($"cannot decompress {what}: {ex.Message}", ex);
        }

        if (declared != (ulong)plain.Length)
        {
            throw new CorruptDataException($"cannot decompress {what}: frame declares {declared} bytes, metadata says {plain.Length}");
        }

        int written;
        try
        {
            written = _decompressor.Unwrap(frame, plain);
        }
        catch (ZstdException ex)
        {
            throw new CorruptDataException($"cannot decompress {what}: {ex.Message}", ex);
        }

        if (written != plain.Length)
        {
            throw new CorruptDataException($"cannot decompress {what}: got {written} bytes, expected {plain.Length}");
        }
    }

    public void Dispose()
    {
        _compressor.Dispose();
        _decompressor.Dispose();
        _probe?.Dispose();
    }
}
