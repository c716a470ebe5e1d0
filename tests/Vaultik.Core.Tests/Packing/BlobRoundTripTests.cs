using System.Diagnostics;
using Vaultik.Age;
using Vaultik.Core.Layout;
using Vaultik.Core.Packing;
using Vaultik.Core.Storage;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Packing;

public sealed class BlobRoundTripTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("vaultik-blob-").FullName;
    private readonly X25519Identity _identity = X25519Identity.Generate();

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private (SealedBlob Blob, List<byte[]> Chunks) Pack(int count, int seed, int maxChunk = 300_000)
    {
        var random = new Random(seed);
        var chunks = new List<byte[]>();
        using var codec = new ChunkCodec(3);
        using var writer = new BlobWriter(_temp, [_identity.Recipient], 1L << 30);
        for (var i = 0; i < count; i++)
        {
            var chunk = new byte[random.Next(0, maxChunk)];
            random.NextBytes(chunk.AsSpan(0, chunk.Length / 2));
            chunks.Add(chunk);
            var frame = new byte[ChunkCodec.MaxFrameLength(chunk.Length)];
            var n = codec.Compress(chunk, frame);
            writer.Add(Hash256.Compute(chunk), frame.AsSpan(0, n), chunk.Length);
        }

        return (writer.Seal(), chunks);
    }

    private static async Task<MemoryObjectStore> StoreAsync(SealedBlob blob)
    {
        var store = new MemoryObjectStore();
        await using var file = File.OpenRead(blob.TempPath);
        await store.PutAsync(StoreLayout.BlobKey(blob.Hash), file);
        return store;
    }

    [Fact]
    public async Task Every_chunk_reads_back_and_the_blob_is_named_by_the_hash_of_its_bytes()
    {
        var (blob, chunks) = Pack(40, seed: 1);
        Assert.Equal(Hash256.Compute(File.ReadAllBytes(blob.TempPath)), blob.Hash);
        Assert.Equal(new FileInfo(blob.TempPath).Length, blob.Size);
        var store = await StoreAsync(blob);

        var reader = await BlobReader.OpenAsync(store, blob.Hash, blob.Size, [_identity], CancellationToken.None);
        var seen = new Dictionary<Hash256, byte[]>();
        await reader.ReadChunksAsync(blob.Chunks, (c, data) =>
        {
            seen[c.Hash] = data.ToArray();
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        foreach (var chunk in chunks)
        {
            Assert.Equal(chunk, seen[Hash256.Compute(chunk)]);
        }
    }

    [Fact]
    public async Task Reading_one_chunk_of_a_large_blob_fetches_only_the_stream_chunks_around_it()
    {
        var (blob, _) = Pack(60, seed: 2, maxChunk: 1 << 20);
        Assert.True(blob.Size > 8 << 20, $"blob is only {blob.Size} bytes");
        var store = await StoreAsync(blob);
        var target = blob.Chunks[30];

        var reader = await BlobReader.OpenAsync(store, blob.Hash, blob.Size, [_identity], CancellationToken.None);
        var got = 0;
        await reader.ReadChunksAsync([target], (_, _) =>
        {
            got++;
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(1, got);
        Assert.True(reader.BytesFetched < target.FrameLength + (3 * 65552) + 4096, $"fetched {reader.BytesFetched} for a {target.FrameLength}-byte frame at {target.FrameOffset} of a {blob.Size}-byte blob");
    }

    [Fact]
    public async Task A_flipped_byte_is_reported_as_corrupt_data_naming_the_blob()
    {
        var (blob, _) = Pack(5, seed: 3);
        var bytes = File.ReadAllBytes(blob.TempPath);
        bytes[^100] ^= 0x01;
        var store = new MemoryObjectStore();
        await store.PutAsync(StoreLayout.BlobKey(blob.Hash), new MemoryStream(bytes));

        var reader = await BlobReader.OpenAsync(store, blob.Hash, blob.Size, [_identity], CancellationToken.None);
        var ex = await Assert.ThrowsAsync<CorruptDataException>(() =>
            reader.ReadChunksAsync(blob.Chunks, (_, _) => ValueTask.CompletedTask, CancellationToken.None));
        Assert.Contains(blob.Hash.ToString(), ex.Message);
    }

    [Fact]
    public async Task A_chunk_whose_recorded_length_disagrees_with_its_frame_is_rejected()
    {
        var (blob, _) = Pack(3, seed: 4);
        var store = await StoreAsync(blob);
        var lying = blob.Chunks[1] with { PlainLength = blob.Chunks[1].PlainLength / 2 };
        var reader = await BlobReader.OpenAsync(store, blob.Hash, blob.Size, [_identity], CancellationToken.None);
        await Assert.ThrowsAsync<CorruptDataException>(() =>
            reader.ReadChunksAsync([lying], (_, _) => ValueTask.CompletedTask, CancellationToken.None));
    }

    [Fact]
    public void A_frame_that_decompresses_to_more_than_recorded_is_a_bomb_and_is_refused()
    {
        using var codec = new ChunkCodec(19);
        var huge = new byte[8 << 20];
        var frame = new byte[ChunkCodec.MaxFrameLength(huge.Length)];
        var n = codec.Compress(huge, frame);
        Assert.True(n < 4096);
        var small = new byte[1024];
        Assert.Throws<CorruptDataException>(() => codec.Decompress(frame.AsSpan(0, n), small, "test frame"));
    }

    [Fact]
    public async Task The_real_age_and_zstd_tools_print_the_chunks_back_to_back()
    {
        var (blob, chunks) = Pack(12, seed: 5);
        var key = Path.Combine(_temp, "key.txt");
        using (var w = new StreamWriter(key))
        {
            AgeKeyFile.Write(w, _identity, DateTimeOffset.UtcNow);
        }

        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"age -d -i '{key}' '{blob.TempPath}' | zstd -d");
        using var process = Process.Start(info)!;
        using var output = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await errors);
        Assert.Equal(chunks.SelectMany(c => c).ToArray(), output.ToArray());
    }
}
