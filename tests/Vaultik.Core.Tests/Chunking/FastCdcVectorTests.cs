using System.Globalization;
using System.Security.Cryptography;
using Vaultik.Core.Chunking;

namespace Vaultik.Core.Tests.Chunking;

/// <summary>The FastCDC-2020 reference cut points of the standard fixture, read from the copied VECTORS.md.</summary>
public sealed class FastCdcVectorTests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "TestData", "fastcdc");

    private static byte[] Fixture() => File.ReadAllBytes(Path.Combine(Dir, "SekienAkashita.jpg"));

    public static TheoryData<int, int, int, int, string, string> Rows()
    {
        var data = new TheoryData<int, int, int, int, string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(Dir, "VECTORS.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries).Where(c => c.Length > 0).ToArray();
            if (cells.Length == 6 && int.TryParse(cells[0], CultureInfo.InvariantCulture, out var min))
            {
                data.Add(min, int.Parse(cells[1], CultureInfo.InvariantCulture), int.Parse(cells[2], CultureInfo.InvariantCulture),
                    int.Parse(cells[3], CultureInfo.InvariantCulture), cells[4], cells[5]);
            }
        }

        return data;
    }

    [Fact]
    public void The_fixture_is_intact_and_every_table_row_is_read()
    {
        Assert.Equal("d9e749d9367fc908876749d6502eb212fee88c9a94892fb07da5ef3ba8bc39ed", Convert.ToHexStringLower(SHA256.HashData(Fixture())));
        Assert.Equal(5, Rows().Count);
    }

    [Fact]
    public void Gear_table_matches_the_reference()
    {
        Assert.Equal(0x3b5d3c7d207e37dcUL, FastCdc.Gear[0]);
        Assert.Equal(0x784d68ba91123086UL, FastCdc.Gear[1]);
        Assert.Equal(FastCdc.Gear[255] << 1, FastCdc.GearShifted[255]);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Cut_points_and_hashes_match(int min, int avg, int max, int level, string lengths, string hashes)
    {
        var options = new ChunkerOptions(min, avg, max, level);
        var data = Fixture();
        var gotLengths = new List<int>();
        var gotHashes = new List<ulong>();
        for (var offset = 0; offset < data.Length;)
        {
            var n = FastCdc.FindCutPoint(data.AsSpan(offset), options, out var hash);
            gotLengths.Add(n);
            gotHashes.Add(hash);
            offset += n;
        }

        Assert.Equal(lengths.Split(',', StringSplitOptions.TrimEntries).Select(int.Parse), gotLengths);
        Assert.Equal(hashes.Split(',', StringSplitOptions.TrimEntries).Select(ulong.Parse), gotHashes);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void The_stream_chunker_cuts_the_same_way_through_tiny_reads(int min, int avg, int max, int level, string lengths, string hashes)
    {
        Assert.NotEmpty(hashes);
        using var chunker = new StreamChunker(new TrickleStream(Fixture()), new ChunkerOptions(min, avg, max, level));
        var got = new List<int>();
        while (chunker.TryReadNext(out var chunk))
        {
            got.Add(chunk.Length);
        }

        Assert.Equal(lengths.Split(',', StringSplitOptions.TrimEntries).Select(int.Parse), got);
    }

    /// <summary>A stream returning 1..7 bytes per read.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        private int _next;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, (_next++ % 7) + 1));
    }
}
