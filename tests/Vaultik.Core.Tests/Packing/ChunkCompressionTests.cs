using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Vaultik.Core.Packing;
using ZstdSharp;

namespace Vaultik.Core.Tests.Packing;

/// <summary><c>compression: auto|max|off</c>: which chunks are stored as raw-block frames, and that those frames are real zstd.</summary>
public sealed class ChunkCompressionTests
{
    private const int MiB = 1 << 20;

    private static byte[] RandomBytes(int length, int seed = 7)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static byte[] Text(int length)
    {
        var sb = new StringBuilder();
        var random = new Random(11);
        string[] words = ["chunk", "frame", "store", "zstd", "block", "restore", "the", "of", "snapshot"];
        while (sb.Length < length)
        {
            sb.Append(words[random.Next(words.Length)]).Append(random.Next(9) == 0 ? '\n' : ' ');
        }

        return Encoding.ASCII.GetBytes(sb.ToString(0, length));
    }

    private static byte[] Encode(ChunkCompression mode, byte[] chunk, int level = 3)
    {
        using var codec = new ChunkCodec(level, mode);
        var frame = new byte[ChunkCodec.MaxFrameLength(chunk.Length)];
        return frame.AsSpan(0, codec.Compress(chunk, frame)).ToArray();
    }

    private static byte[] Decode(byte[] frame, int length)
    {
        using var codec = new ChunkCodec(1);
        var plain = new byte[length];
        codec.Decompress(frame, plain, "test chunk");
        return plain;
    }

    private static byte[] ZstdSharpFrame(byte[] chunk, int level)
    {
        using var compressor = new Compressor(level);
        return compressor.Wrap(chunk).ToArray();
    }

    /// <summary>Checks the raw-block layout byte by byte: header, then blocks of 128 KiB behind 3-byte headers, the last flagged.</summary>
    private static void AssertRawFrame(byte[] frame, byte[] chunk)
    {
        var header = RawFrame.HeaderLength(chunk.Length);
        var blocks = Math.Max(1, (chunk.Length + (128 << 10) - 1) / (128 << 10));
        Assert.Equal(chunk.Length + header + (3 * blocks), frame.Length);
        Assert.Equal(0xFD2FB528u, BinaryPrimitives.ReadUInt32LittleEndian(frame));
        Assert.Equal(0x20, frame[4] & 0x3F);
        var at = header;
        for (var b = 0; b < blocks; b++)
        {
            var word = frame[at] | (frame[at + 1] << 8) | (frame[at + 2] << 16);
            var size = Math.Min(128 << 10, chunk.Length - (b * (128 << 10)));
            Assert.Equal(b == blocks - 1 ? 1 : 0, word & 1);
            Assert.Equal(0, (word >> 1) & 3);
            Assert.Equal(size, word >> 3);
            Assert.True(frame.AsSpan(at + 3, size).SequenceEqual(chunk.AsSpan(b * (128 << 10), size)));
            at += 3 + size;
        }
    }

    [Fact]
    public void Raw_frames_carry_the_same_header_flags_as_the_compressor_writes_no_checksum_no_dictionary()
    {
        foreach (var chunk in new[] { Text(MiB), RandomBytes(MiB), Text(300) })
        {
            var compressed = ZstdSharpFrame(chunk, 3);
            var raw = Encode(ChunkCompression.Off, chunk);
            Assert.Equal(0, compressed[4] & 0x07);
            Assert.Equal(compressed[4] & 0x07, raw[4] & 0x07);
            Assert.Equal((ulong)chunk.Length, Decompressor.GetDecompressedSize(raw));
        }
    }

    [Fact]
    public void Auto_stores_random_data_raw()
    {
        var chunk = RandomBytes(MiB);
        var frame = Encode(ChunkCompression.Auto, chunk);
        Assert.Equal(MiB + 9 + (3 * 8), frame.Length);
        AssertRawFrame(frame, chunk);
        Assert.Equal(chunk, Decode(frame, chunk.Length));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void Auto_compresses_text_at_the_configured_level(int level)
    {
        var chunk = Text(MiB);
        var frame = Encode(ChunkCompression.Auto, chunk, level);
        Assert.Equal(ZstdSharpFrame(chunk, level), frame);
        Assert.True(frame.Length < MiB / 2, $"{frame.Length} bytes");
        Assert.Equal(chunk, Decode(frame, chunk.Length));
    }

    [Fact]
    public void Auto_compresses_a_chunk_half_random_half_zeros()
    {
        var chunk = new byte[2 * MiB];
        RandomBytes(MiB).CopyTo(chunk, 0);
        var frame = Encode(ChunkCompression.Auto, chunk);
        Assert.Equal(ZstdSharpFrame(chunk, 3), frame);
        Assert.True(frame.Length < MiB + (MiB / 8), $"{frame.Length} bytes");
        Assert.Equal(chunk, Decode(frame, chunk.Length));
    }

    [Fact]
    public void Auto_stores_a_small_chunk_raw_when_compressing_made_it_longer()
    {
        var chunk = RandomBytes(5000);
        Assert.True(ZstdSharpFrame(chunk, 3).Length >= RawFrame.Length(chunk.Length));
        var frame = Encode(ChunkCompression.Auto, chunk);
        AssertRawFrame(frame, chunk);
    }

    [Fact]
    public void Off_stores_even_text_raw()
    {
        var chunk = Text(MiB);
        var frame = Encode(ChunkCompression.Off, chunk);
        AssertRawFrame(frame, chunk);
        Assert.Equal(chunk, Decode(frame, chunk.Length));
    }

    [Fact]
    public void Max_compresses_random_data_with_the_compressor()
    {
        var chunk = RandomBytes(MiB);
        Assert.Equal(ZstdSharpFrame(chunk, 3), Encode(ChunkCompression.Max, chunk));
        Assert.Equal(ZstdSharpFrame(chunk, 3), Encode(ChunkCompression.Max, chunk, 3));
        using var legacy = new ChunkCodec(3);
        var frame = new byte[ChunkCodec.MaxFrameLength(chunk.Length)];
        Assert.Equal(ZstdSharpFrame(chunk, 3), frame.AsSpan(0, legacy.Compress(chunk, frame)).ToArray());
    }

    private static readonly int[] Lengths = [0, 1, 255, 256, 65791, 65792, 128 << 10, (128 << 10) + 1, 4 * MiB];

    public static TheoryData<int> EdgeLengths => [.. Lengths];

    [Theory]
    [MemberData(nameof(EdgeLengths))]
    public void Raw_frames_of_every_header_width_and_block_count_decode(int length)
    {
        var chunk = RandomBytes(length, seed: length);
        var frame = Encode(ChunkCompression.Off, chunk);
        AssertRawFrame(frame, chunk);
        Assert.Equal(chunk, Decode(frame, length));
        Assert.True(frame.Length <= ChunkCodec.MaxFrameLength(length));
    }

    [Fact]
    public async Task The_zstd_tool_decodes_raw_frames_back_to_back()
    {
        var chunks = Lengths.Select(l => RandomBytes(l, seed: l + 1)).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"vaultik-raw-{Guid.NewGuid():N}.zst");
        try
        {
            await File.WriteAllBytesAsync(path, chunks.SelectMany(c => Encode(ChunkCompression.Off, c)).ToArray());
            var info = new ProcessStartInfo("zstd") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-d", "-c", path })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            using var output = new MemoryStream();
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.BaseStream.CopyToAsync(output);
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await errors);
            Assert.Equal(chunks.SelectMany(c => c).ToArray(), output.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string> Corruptions =>
        ["first block one byte short", "first block one byte long", "last block one byte long", "content size one more", "content size one less",
         "truncated by a byte", "last block missing", "last flag cleared", "last flag on the first block", "block type reserved", "trailing byte"];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Corrupted_raw_frames_are_refused_as_corrupt_data(string corruption)
    {
        var chunk = RandomBytes(MiB);
        var frame = Encode(ChunkCompression.Off, chunk);
        const int First = 9;
        var last = frame.Length - (3 + (128 << 10));
        void Block(int at, Func<int, int> change)
        {
            var word = change(frame[at] | (frame[at + 1] << 8) | (frame[at + 2] << 16));
            frame[at] = (byte)word;
            frame[at + 1] = (byte)(word >> 8);
            frame[at + 2] = (byte)(word >> 16);
        }

        switch (corruption)
        {
            case "first block one byte short": Block(First, w => w - 8); break;
            case "first block one byte long": Block(First, w => w + 8); break;
            case "last block one byte long": Block(last, w => w + 8); break;
            case "content size one more": BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(5), MiB + 1); break;
            case "content size one less": BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(5), MiB - 1); break;
            case "truncated by a byte": frame = frame[..^1]; break;
            case "last block missing": frame = frame[..last]; break;
            case "last flag cleared": Block(last, w => w & ~1); break;
            case "last flag on the first block": Block(First, w => w | 1); break;
            case "block type reserved": Block(First, w => w | 6); break;
            case "trailing byte": frame = [.. frame, 0]; break;
        }

        using var codec = new ChunkCodec(1);
        Assert.Throws<CorruptDataException>(() => codec.Decompress(frame, new byte[MiB], "test chunk"));
        var declared = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(5));
        if (declared != MiB)
        {
            // A frame whose header and blocks disagree is refused even when the caller expects its header's length.
            Assert.Throws<CorruptDataException>(() => codec.Decompress(frame, new byte[declared], "test chunk"));
        }
    }

    [Fact]
    public void The_compressors_own_frame_of_random_data_is_what_off_writes()
    {
        // Not required by the format, but a fact worth pinning: zstd itself falls back to raw blocks, so on
        // random data auto saves only the search for matches, never a byte of the store.
        var chunk = RandomBytes(MiB);
        Assert.Equal(ZstdSharpFrame(chunk, 3), Encode(ChunkCompression.Off, chunk));
    }

    [Fact]
    public void The_probe_says_no_to_random_data_and_yes_to_text_and_to_half_zeros()
    {
        using var probe = new CompressibilityProbe();
        var half = new byte[2 * MiB];
        RandomBytes(MiB).CopyTo(half, MiB);
        Assert.False(probe.LooksCompressible(RandomBytes(MiB)));
        Assert.True(probe.LooksCompressible(Text(MiB)));
        Assert.True(probe.LooksCompressible(half));
    }

    [Fact]
    public void Auto_follows_the_probe_and_stores_raw_a_chunk_whose_only_redundancy_is_long_repeats()
    {
        // The probe's known blind spot (src/Vaultik.Core/Packing/README.md): one random 64 KiB block sixteen
        // times. Every 4 KiB sample looks random, so auto stores the chunk raw, which max shrinks sixteenfold.
        var block = RandomBytes(64 << 10);
        var chunk = new byte[MiB];
        for (var at = 0; at < MiB; at += block.Length)
        {
            block.CopyTo(chunk, at);
        }

        var max = Encode(ChunkCompression.Max, chunk);
        Assert.True(max.Length < MiB / 8, $"max: {max.Length} bytes");
        var auto = Encode(ChunkCompression.Auto, chunk);
        AssertRawFrame(auto, chunk);
        Assert.Equal(chunk, Decode(auto, MiB));
    }
}
