using System.Globalization;

namespace Vaultik.Tests.Fuzz;

/// <summary>
/// One parser under fuzzing and its contract: <see cref="Check"/> runs it on an input and says how the input
/// broke the contract (an exception outside <paramref name="allowed"/>, or more managed allocation than the
/// input can justify), or null when the parser returned or refused the input cleanly.
/// </summary>
public sealed class FuzzTarget(string parser, Action<byte[]> parse, params Type[] allowed)
{
    /// <summary>Allocation any input may cause, plus <see cref="AllocationPerInputByte"/> for each input byte.</summary>
    public const long BaseAllocation = 64L << 20;

    public const long AllocationPerInputByte = 256;

    public string Parser { get; } = parser;

    public string? Check(byte[] input)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            parse(input);
        }
        catch (Exception ex) when (allowed.Any(t => t.IsInstanceOfType(ex)))
        {
            // A documented refusal is a clean outcome; the message is all the user sees.
            _ = ex.Message;
        }
        catch (Exception ex)
        {
            return $"threw {ex.GetType().FullName} (allowed: {string.Join(", ", allowed.Select(t => t.Name))}): {ex}";
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var limit = BaseAllocation + (AllocationPerInputByte * input.Length);
        return allocated > limit
            ? string.Create(CultureInfo.InvariantCulture, $"allocated {allocated} bytes for an input of {input.Length} bytes (limit {limit})")
            : null;
    }
}
