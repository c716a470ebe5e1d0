using System.Globalization;
using System.Text;

namespace Vaultik.Tests.Fuzz;

/// <summary>
/// The fuzz loop: the corpus first, then <c>iterations</c> mutated inputs from a fixed seed. The whole budget
/// always runs; the first input of each distinct failure is saved as a regression case, and the test then
/// fails printing every one (hex and base64). <c>VAULTIK_FUZZ_SCALE</c> multiplies every budget for a longer run.
/// </summary>
public static class FuzzRun
{
    /// <summary>No mutated input is longer than this, so a parser that hangs shows as a slow test, not a stuck one.</summary>
    public const int MaxInputLength = 1 << 20;

    public static int Scale =>
        int.TryParse(Environment.GetEnvironmentVariable("VAULTIK_FUZZ_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1;

    public static void Run(FuzzTarget target, IReadOnlyList<byte[]> corpus, int seed, int iterations)
    {
        var mutator = new FuzzMutator(seed, MaxInputLength);
        Run(target, Inputs(corpus, mutator, seed, iterations * Scale));
    }

    /// <summary>Runs the target on named inputs (a caller's structured mutations) with the same reporting.</summary>
    public static void Run(FuzzTarget target, IEnumerable<(string Name, byte[] Input)> inputs)
    {
        var failures = new Dictionary<string, string>();
        foreach (var (name, input) in inputs)
        {
            if (target.Check(input) is { } failure && !failures.ContainsKey(failure.Signature))
            {
                failures[failure.Signature] = Describe(target, name, input, failure, save: true);
            }
        }

        if (failures.Count > 0)
        {
            Assert.Fail($"fuzz {target.Parser}: {failures.Count} distinct failure(s)\n" + string.Join("\n", failures.Values));
        }
    }

    /// <summary>Replays one saved regression case.</summary>
    public static void Replay(FuzzTarget target, string name)
    {
        var input = FuzzFiles.RegressionCase(target.Parser, name);
        if (target.Check(input) is { } failure)
        {
            Assert.Fail(Describe(target, name, input, failure, save: false));
        }
    }

    private static IEnumerable<(string, byte[])> Inputs(IReadOnlyList<byte[]> corpus, FuzzMutator mutator, int seed, int count)
    {
        for (var i = 0; i < corpus.Count; i++)
        {
            yield return ($"corpus-{i}", corpus[i]);
        }

        for (var i = 0; i < count; i++)
        {
            yield return ($"seed{seed}-{i}", mutator.Mutate(corpus[mutator.Random.Next(corpus.Count)], corpus));
        }
    }

    private static string Describe(FuzzTarget target, string name, byte[] input, FuzzFailure failure, bool save)
    {
        var saved = save ? FuzzFiles.SaveRegression(target.Parser, $"{name}-{Sanitize(failure.Signature)}", input) : $"TestData/fuzz-regressions/{target.Parser}/{name}";
        var hex = Convert.ToHexStringLower(input.AsSpan(0, Math.Min(input.Length, 4096)));
        return $"""
            fuzz {target.Parser}: input {name} ({input.Length} bytes) {failure.Description}
            saved as {saved} (commit it: the regression theory replays it)
            hex (first 4096 bytes): {hex}
            base64: {(input.Length <= 65536 ? Convert.ToBase64String(input) : "(see the saved file)")}

            """;
    }

    private static string Sanitize(string text)
    {
        var name = new StringBuilder();
        foreach (var c in text)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return name.ToString();
    }
}
