using System.Globalization;
using System.Text;

namespace Vaultik.Tests.Fuzz;

/// <summary>
/// The fuzz loop: the corpus first, then <c>iterations</c> mutated inputs from a fixed seed. The whole budget
/// always runs; the first input of each distinct failure is saved as a regression case, and the test then
/// fails printing every one (hex and base64). A failure whose signature is listed in
/// <c>TestData/fuzz-pending/&lt;parser&gt;.txt</c> (a known bug another change fixes) skips the test with that
/// reason instead. <c>VAULTIK_FUZZ_SCALE</c> multiplies every budget for a longer run.
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

        var pending = FuzzFiles.Pending(target.Parser);
        var unknown = failures.Where(f => Owner(pending, f.Key) is null).ToList();
        if (unknown.Count > 0)
        {
            Assert.Fail($"fuzz {target.Parser}: {unknown.Count} distinct failure(s)\n" + string.Join("\n", unknown.Select(f => f.Value)));
        }

        Skip.If(failures.Count > 0, $"fuzz {target.Parser}: only known failures, owned elsewhere (TestData/fuzz-pending/{target.Parser}.txt): " +
            string.Join("; ", failures.Keys.Select(k => $"{k} ({Owner(pending, k)})")));
    }

    /// <summary>Replays one saved regression case.</summary>
    public static void Replay(FuzzTarget target, string name)
    {
        var input = FuzzFiles.RegressionCase(target.Parser, name);
        if (target.Check(input) is { } failure)
        {
            var owner = Owner(FuzzFiles.Pending(target.Parser), failure.Signature);
            Skip.If(owner is not null, $"known failure {failure.Signature}, owned elsewhere: {owner}");
            Assert.Fail(Describe(target, name, input, failure, save: false));
        }
    }

    /// <summary>Who fixes a known failure: an exact signature, or a pattern ending in * matching its start.</summary>
    private static string? Owner(IReadOnlyDictionary<string, string> pending, string signature) =>
        pending.FirstOrDefault(p => p.Key == signature || (p.Key.EndsWith('*') && signature.StartsWith(p.Key[..^1], StringComparison.Ordinal))).Value;

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
