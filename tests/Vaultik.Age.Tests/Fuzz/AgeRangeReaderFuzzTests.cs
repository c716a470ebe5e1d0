using System.Buffers.Binary;
using Vaultik.Tests.Fuzz;

namespace Vaultik.Age.Tests.Fuzz;

/// <summary>
/// AgeRangeReader on mutated binary age files served as byte ranges: opening (header growth, payload length)
/// and reading a few plaintext ranges (start, end, across a chunk boundary).
/// </summary>
public sealed class AgeRangeReaderFuzzTests
{
    private static readonly FuzzTarget Target = new("age-range", Read, typeof(AgeHeaderException), typeof(AgePayloadException), typeof(AgeNoIdentityMatchException));

    /// <summary>
    /// The same with a length that lies (input: 8-byte little-endian claimed length, then the file); ranges past
    /// the real bytes read as zeros, as from an object that really is that long.
    /// </summary>
    private static readonly FuzzTarget LyingLength = new("age-range-length", ReadLying, typeof(AgeHeaderException), typeof(AgePayloadException), typeof(AgeNoIdentityMatchException));

    public static IEnumerable<object[]> Regressions => FuzzFiles.RegressionNames(Target.Parser);

    public static IEnumerable<object[]> LyingRegressions => FuzzFiles.RegressionNames(LyingLength.Parser);

    private static void ReadLying(byte[] input)
    {
        if (input.Length < 8)
        {
            return;
        }

        var claimed = BinaryPrimitives.ReadInt64LittleEndian(input);
        var file = input[8..];
        ReadLyingAsync(Math.Max(0, claimed), file).GetAwaiter().GetResult();
    }

    private static async Task ReadLyingAsync(long claimed, byte[] file)
    {
        using var reader = await AgeRangeReader.OpenAsync(claimed, [FuzzKeys.Identity], (offset, length, _) =>
        {
            var bytes = new byte[length];
            if (offset < file.Length)
            {
                file.AsSpan((int)offset, (int)Math.Min(length, file.Length - offset)).CopyTo(bytes);
            }

            return Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
        });
        var size = reader.PlaintextLength;
        foreach (var offset in new[] { 0, size / 2, Math.Max(0, size - 10) })
        {
            await using var plain = await reader.OpenRangeAsync(offset, Math.Min(10, size - offset));
            await plain.CopyToAsync(Stream.Null);
        }
    }

    private static void Read(byte[] input) => ReadAsync(input).GetAwaiter().GetResult();

    private static async Task ReadAsync(byte[] input)
    {
        using var reader = await AgeRangeReader.OpenAsync(
            input.Length, [FuzzKeys.Identity], (offset, length, _) => Task.FromResult<Stream>(new MemoryStream(input, (int)offset, (int)length, writable: false)));
        var size = reader.PlaintextLength;
        foreach (var (offset, length) in new[] { (0L, Math.Min(size, 10)), (Math.Max(0, size - 10), Math.Min(size, 10)), (Math.Max(0, Math.Min(size, 65_536) - 5), Math.Min(size - Math.Max(0, Math.Min(size, 65_536) - 5), 10)), (0L, size) })
        {
            await using var plain = await reader.OpenRangeAsync(offset, length);
            await plain.CopyToAsync(Stream.Null);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_files_fail_only_with_age_exceptions()
    {
        await Task.Yield();
        FuzzRun.Run(Target, AgeFuzzCorpus.Binary, seed: 4, iterations: 10_000);
    }

    [Fact(Timeout = 60_000)]
    public async Task Lying_lengths_fail_only_with_age_exceptions()
    {
        await Task.Yield();
        var mutator = new FuzzMutator(7, FuzzRun.MaxInputLength);
        var binary = AgeFuzzCorpus.Binary;
        FuzzRun.Run(LyingLength, Enumerable.Range(0, 3_000 * FuzzRun.Scale).Select(i =>
        {
            var file = binary[i % binary.Count];
            var claimed = mutator.Random.Next(3) == 0 ? mutator.InterestingInteger() : file.Length + mutator.InterestingInteger();
            var input = new byte[8 + file.Length];
            BinaryPrimitives.WriteInt64LittleEndian(input, claimed);
            file.CopyTo(input, 8);
            return ($"lengths7-{i}", input);
        }));
    }

    [Theory]
    [MemberData(nameof(LyingRegressions))]
    public void Saved_lying_length_keeps_its_contract(string name) => FuzzRun.Replay(LyingLength, name);

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Saved_case_keeps_its_contract(string name) => FuzzRun.Replay(Target, name);
}
