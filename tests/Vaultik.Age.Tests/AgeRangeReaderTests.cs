using System.Security.Cryptography;

namespace Vaultik.Age.Tests;

/// <summary>Plaintext ranges over ranged reads: right bytes, only the covering STREAM chunks fetched, damage detected.</summary>
public sealed class AgeRangeReaderTests
{
    private const int Chunk = 64 * 1024;
    private const int EncryptedChunk = Chunk + 16;

    private readonly X25519Identity _identity = X25519Identity.Generate();

    private sealed class RangeSource(byte[] file)
    {
        public List<(long Offset, long Length)> Reads { get; } = [];

        public Task<Stream> OpenAsync(long offset, long length, CancellationToken cancellationToken)
        {
            Reads.Add((offset, length));
            var available = (int)Math.Max(0, Math.Min(length, file.Length - offset));
            return Task.FromResult<Stream>(new MemoryStream(file, (int)offset, available, writable: false));
        }
    }

    private byte[] Encrypt(byte[] plain)
    {
        using var output = new MemoryStream();
        using (var age = Age.Encrypt(output, [_identity.Recipient], leaveOpen: true))
        {
            age.Write(plain);
        }

        return output.ToArray();
    }

    private static async Task<byte[]> ReadAsync(AgeRangeReader reader, long offset, long length)
    {
        await using var stream = await reader.OpenRangeAsync(offset, length);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public static readonly TheoryData<int, long, long, int> Ranges = new()
    {
        // plaintext size, offset, length, STREAM chunks expected to be fetched
        { (3 * Chunk) + 1000, 0, 0, 0 },
        { (3 * Chunk) + 1000, 10, 100, 1 },
        { (3 * Chunk) + 1000, Chunk - 10, 20, 2 },
        { (3 * Chunk) + 1000, Chunk, Chunk, 1 },
        { (3 * Chunk) + 1000, (3 * Chunk) + 999, 1, 1 },
        { (3 * Chunk) + 1000, (2 * Chunk) + 5, Chunk, 2 },
        { (3 * Chunk) + 1000, 0, (3 * Chunk) + 1000, 4 },
        { 2 * Chunk, (2 * Chunk) - 1, 1, 1 },
        { 2 * Chunk, 0, 2 * Chunk, 2 },
        { 5, 0, 5, 1 },
        { 0, 0, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task A_range_decrypts_to_its_plaintext_and_fetches_only_its_chunks(int size, long offset, long length, int chunks)
    {
        var plain = RandomNumberGenerator.GetBytes(size);
        var file = Encrypt(plain);
        var source = new RangeSource(file);
        using var reader = await AgeRangeReader.OpenAsync(file.Length, [_identity], source.OpenAsync);
        Assert.Equal(size, reader.PlaintextLength);
        var header = reader.HeaderBytes;

        var got = await ReadAsync(reader, offset, length);

        Assert.Equal(plain.AsSpan((int)offset, (int)length).ToArray(), got);
        var payload = source.Reads.Skip(1).ToList();
        if (chunks == 0)
        {
            Assert.Empty(payload);
        }
        else
        {
            var count = Math.Max(1, (size + Chunk - 1) / Chunk);
            var payloadLength = size + (16L * count);
            var payloadStart = file.Length - payloadLength;
            var first = offset / Chunk;
            var last = (offset + length - 1) / Chunk;
            Assert.Equal(chunks, last - first + 1);
            var end = Math.Min(payloadLength, (last + 1) * EncryptedChunk);
            Assert.Equal([(payloadStart + (first * EncryptedChunk), end - (first * EncryptedChunk))], payload);
        }

        var fetched = payload.Sum(r => r.Length);
        Assert.Equal(header + fetched, reader.BytesFetched);
    }

    [Fact]
    public async Task A_damaged_chunk_fails_authentication_and_its_neighbours_still_read()
    {
        var plain = RandomNumberGenerator.GetBytes((2 * Chunk) + 100);
        var file = Encrypt(plain);
        var source = new RangeSource(file);
        using var reader = await AgeRangeReader.OpenAsync(file.Length, [_identity], source.OpenAsync);
        var payloadStart = file.Length - ((2 * EncryptedChunk) + 100 + 16);
        file[payloadStart + EncryptedChunk + 7] ^= 0x40;

        Assert.Equal(plain.AsSpan(0, 100).ToArray(), await ReadAsync(reader, 0, 100));
        Assert.Equal(plain.AsSpan(2 * Chunk, 100).ToArray(), await ReadAsync(reader, 2 * Chunk, 100));
        var ex = await Assert.ThrowsAsync<AgePayloadException>(() => ReadAsync(reader, Chunk + 5, 10));
        Assert.Contains("STREAM chunk 1", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AgePayloadException>(() => ReadAsync(reader, Chunk - 5, 10));
    }

    [Fact]
    public async Task A_file_cut_at_a_chunk_boundary_is_detected_on_its_new_last_chunk()
    {
        var plain = RandomNumberGenerator.GetBytes((2 * Chunk) + 100);
        var file = Encrypt(plain);
        var cut = file[..^(100 + 16)];
        using var reader = await AgeRangeReader.OpenAsync(cut.Length, [_identity], new RangeSource(cut).OpenAsync);

        Assert.Equal(plain.AsSpan(0, 10).ToArray(), await ReadAsync(reader, 0, 10));
        await Assert.ThrowsAsync<AgePayloadException>(() => ReadAsync(reader, Chunk, 10));
    }

    [Fact]
    public async Task A_short_ranged_read_is_an_end_of_stream()
    {
        var plain = RandomNumberGenerator.GetBytes(Chunk + 100);
        var file = Encrypt(plain);
        using var reader = await AgeRangeReader.OpenAsync(file.Length + 50, [_identity], new RangeSource(file).OpenAsync);

        await Assert.ThrowsAsync<EndOfStreamException>(() => ReadAsync(reader, Chunk, 10));
    }

    [Fact]
    public async Task The_wrong_identity_and_a_damaged_header_are_age_errors()
    {
        var file = Encrypt(RandomNumberGenerator.GetBytes(1000));
        await Assert.ThrowsAsync<AgeNoIdentityMatchException>(
            () => AgeRangeReader.OpenAsync(file.Length, [X25519Identity.Generate()], new RangeSource(file).OpenAsync));

        var damaged = (byte[])file.Clone();
        damaged[0] ^= 1;
        await Assert.ThrowsAsync<AgeHeaderException>(
            () => AgeRangeReader.OpenAsync(damaged.Length, [_identity], new RangeSource(damaged).OpenAsync));
    }

    [Fact]
    public async Task A_range_outside_the_plaintext_is_refused()
    {
        var file = Encrypt(RandomNumberGenerator.GetBytes(1000));
        using var reader = await AgeRangeReader.OpenAsync(file.Length, [_identity], new RangeSource(file).OpenAsync);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.OpenRangeAsync(990, 11));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.OpenRangeAsync(-1, 1));
    }
}
