using Vaultik.Tests.Fuzz;

namespace Vaultik.Age.Tests.Fuzz;

/// <summary>
/// AgeRangeReader on mutated binary age files served as byte ranges: opening (header growth, payload length)
/// and reading a few plaintext ranges (start, end, across a chunk boundary).
/// </summary>
public sealed class AgeRangeReaderFuzzTests
{
    private static readonly FuzzTarget Target = new("age-range", Read, typeof(AgeHeaderException), typeof(AgePayloadException), typeof(AgeNoIdentityMatchException));

    public static IEnumerable<object[]> Regressions => FuzzFiles.RegressionNames(Target.Parser);

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

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Saved_case_keeps_its_contract(string name) => FuzzRun.Replay(Target, name);
}
