using Vaultik.Tests.Fuzz;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Age.Tests.Fuzz;

/// <summary>Age.Decrypt (header, stanzas, MAC, armor detection, STREAM payload) on mutated age files.</summary>
public sealed class AgeDecryptFuzzTests
{
    private static readonly FuzzTarget Target = new("age-decrypt", Decrypt, typeof(AgeHeaderException), typeof(AgePayloadException), typeof(AgeNoIdentityMatchException));

    public static IEnumerable<object[]> Regressions => FuzzFiles.RegressionNames(Target.Parser);

    private static void Decrypt(byte[] input)
    {
        using var plain = AgeFile.Decrypt(new MemoryStream(input, writable: false), [FuzzKeys.Identity]);
        plain.CopyTo(Stream.Null);
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_binary_files_fail_only_with_age_exceptions()
    {
        await Task.Yield();
        FuzzRun.Run(Target, AgeFuzzCorpus.Binary, seed: 1, iterations: 10_000);
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_armored_files_fail_only_with_age_exceptions()
    {
        await Task.Yield();
        FuzzRun.Run(Target, AgeFuzzCorpus.Armored, seed: 2, iterations: 10_000);
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Saved_case_keeps_its_contract(string name) => FuzzRun.Replay(Target, name);
}
