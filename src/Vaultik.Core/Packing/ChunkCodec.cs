using ZstdSharp;

namespace Vaultik.Core.Packing;

/// <summary>
/// Compresses a chunk into one self-contained zstd frame (content size recorded in its header) and
/// decompresses a frame back, refusing frames that claim or produce anything but the expected length.
/// One instance per thread: the zstd contexts are reused.
/// </summary>
public sealed class ChunkCodec : IDisposable
{
    private readonly Compressor _compressor;
    private readonly Decompressor _decompressor = new();

    public ChunkCodec(int compressionLevel)
    {
        if (compressionLevel is < 1 or > 22)
        {
            throw new ArgumentOutOfRangeException(nameof(compressionLevel), "zstd levels are 1..22");
        }

        _compressor = new Compressor(compressionLevel);
    }

    /// <summary>The largest frame a chunk of <paramref name="plainLength"/> bytes can compress to.</summary>
    public static int MaxFrameLength(int plainLength) => Compressor.GetCompressBound(plainLength);

    /// <summary>Compresses <paramref name="chunk"/> into <paramref name="frame"/>; returns the frame length.</summary>
    public int Compress(ReadOnlySpan<byte> chunk, Span<byte> frame) => _compressor.Wrap(chunk, frame);

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
    }
}
