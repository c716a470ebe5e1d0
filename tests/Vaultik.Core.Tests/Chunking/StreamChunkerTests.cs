using Vaultik.Core.Chunking;

namespace Vaultik.Core.Tests.Chunking;

public sealed class StreamChunkerTests
{
    private static readonly ChunkerOptions Small = new(4096, 16384, 65536);

    private static List<byte[]> Chunks(byte[] data, ChunkerOptions options)
    {
        using var chunker = new StreamChunker(new MemoryStream(data), options);
        var list = new List<byte[]>();
        while (chunker.TryReadNext(out var chunk))
        {
            list.Add(chunk.ToArray());
        }

        return list;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(100_000)]
    [InlineData(3_000_001)]
    public void Chunks_concatenate_to_the_input_and_respect_the_size_bounds(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        var chunks = Chunks(data, Small);
        Assert.Equal(data, chunks.SelectMany(c => c).ToArray());
        Assert.All(chunks.SkipLast(1), c => Assert.InRange(c.Length, Small.MinSize, Small.MaxSize));
        Assert.Equal(size == 0 ? 0 : Math.Max(1, chunks.Count), chunks.Count);
    }

    [Fact]
    public void Inserting_bytes_at_the_start_changes_only_the_first_chunks()
    {
        var data = new byte[4 << 20];
        new Random(7).NextBytes(data);
        var before = Chunks(data, Small).Select(c => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(c))).ToHashSet();
        var edited = new byte[] { 1, 2, 3, 4, 5 }.Concat(data).ToArray();
        var after = Chunks(edited, Small).Select(c => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(c))).ToList();
        var changed = after.Count(h => !before.Contains(h));
        Assert.InRange(changed, 1, 3);
        Assert.True(after.Count > 100);
    }

    [Theory]
    [InlineData(32, 64, 128, "at least 64")]
    [InlineData(8192, 4096, 65536, "chunk_avg_size")]
    [InlineData(4096, 65536, 32768, "chunk_max_size")]
    [InlineData(4096, 1 << 20, 128 << 20, "64 MiB")]
    public void Inconsistent_options_are_rejected_with_a_reason(int min, int avg, int max, string reason)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ChunkerOptions(min, avg, max).Validate());
        Assert.Contains(reason, ex.Message);
    }
}
