using Vaultik.Tests.Fuzz;

namespace Vaultik.Age.Tests.Fuzz;

/// <summary>AgeArmor.Decode on its own (strict base64 lines, BEGIN/END, padding) on mutated armor.</summary>
public sealed class AgeArmorFuzzTests
{
    private static readonly FuzzTarget Target = new("age-armor", Decode, typeof(AgeHeaderException));

    public static IEnumerable<object[]> Regressions => FuzzFiles.RegressionNames(Target.Parser);

    private static void Decode(byte[] input)
    {
        using var decoded = AgeArmor.Decode(new MemoryStream(input, writable: false));
        decoded.CopyTo(Stream.Null);
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_armor_fails_only_as_a_header_error()
    {
        await Task.Yield();
        FuzzRun.Run(Target, AgeFuzzCorpus.Armored, seed: 3, iterations: 20_000);
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Saved_case_keeps_its_contract(string name) => FuzzRun.Replay(Target, name);
}
