using System.Globalization;

namespace Vaultik.Tests.Fuzz;

/// <summary>
/// The fuzz loop: the corpus first, then <c>iterations</c> mutated inputs from a fixed seed. The first input
/// that breaks the target's contract is saved as a regression case and the test fails printing it (hex and
/// base64). <c>VAULTIK_FUZZ_SCALE</c> multiplies every budget for a longer run.
/// </summary>
public static class FuzzRun
{
    /// <summary>No mutated input is longer than this, so a parser that hangs shows as a slow test, not a stuck one.</summary>
    public const int MaxInputLength = 1 << 20;

    public static int Scale =>
        int.TryParse(Environment.GetEnvironmentVariable("VAULTIK_FUZZ_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1;

    public static void Run(FuzzTarget target, IReadOnlyList<byte[]> corpus, int seed, int iterations)
    {
        for (var i = 0; i < corpus.Count; i++)
        {
            Report(target, $"corpus-{i}", corpus[i]);
        }

        var mutator = new FuzzMutator(seed, MaxInputLength);
        var total = iterations * Scale;
        for (var i = 0; i < total; i++)
        {
            var input = mutator.Mutate(corpus[mutator.Random.Next(corpus.Count)], corpus);
            Report(target, $"seed{seed}-{i}", input);
        }
    }

    /// <summary>Runs the target on <paramref name="input"/> built by a structured mutation (the caller's own loop).</summary>
    public static void Report(FuzzTarget target, string name, byte[] input)
    {
        if (target.Check(input) is not { } failure)
        {
            return;
        }

        var saved = FuzzFiles.SaveRegression(target.Parser, name, input);
        var hex = Convert.ToHexStringLower(input.AsSpan(0, Math.Min(input.Length, 4096)));
        Assert.Fail($"""
            fuzz {target.Parser}: input {name} ({input.Length} bytes) {failure}
            saved as {saved} (commit it: it is replayed by the regression theory)
            hex (first 4096 bytes): {hex}
            base64: {(input.Length <= 65536 ? Convert.ToBase64String(input) : "(see the saved file)")}
            """);
    }

    /// <summary>Replays one saved regression case.</summary>
    public static void Replay(FuzzTarget target, string name) => Report(target, name, FuzzFiles.RegressionCase(target.Parser, name));
}
