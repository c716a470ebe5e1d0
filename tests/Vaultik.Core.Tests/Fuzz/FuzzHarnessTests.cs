using Vaultik.Tests.Fuzz;

namespace Vaultik.Core.Tests.Fuzz;

/// <summary>The fuzz harness itself: deterministic, bounded, and it notices what it is meant to notice.</summary>
public sealed class FuzzHarnessTests
{
    [Fact]
    public void The_same_seed_gives_the_same_inputs()
    {
        byte[][] corpus = ["hello, 1234 world"u8.ToArray(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]];
        var a = new FuzzMutator(9, 64);
        var b = new FuzzMutator(9, 64);
        for (var i = 0; i < 500; i++)
        {
            var x = a.Mutate(corpus[i % 2], corpus);
            Assert.Equal(x, b.Mutate(corpus[i % 2], corpus));
            Assert.True(x.Length <= 64);
        }
    }

    [Fact]
    public void Undocumented_exceptions_and_large_allocations_break_the_contract()
    {
        var target = new FuzzTarget("self-test", input => _ = input.Length switch
        {
            0 => throw new FormatException("documented"),
            1 => throw new InvalidOperationException("a bug"),
            2 => new byte[FuzzTarget.DefaultBaseAllocation + 1024],
            _ => input,
        }, typeof(FormatException));

        Assert.Null(target.Check([]));
        Assert.StartsWith("InvalidOperationException at ", target.Check([1])!.Signature, StringComparison.Ordinal);
        Assert.Equal("allocation", target.Check([1, 2])!.Signature);
        Assert.Null(target.Check([1, 2, 3]));
    }
}
