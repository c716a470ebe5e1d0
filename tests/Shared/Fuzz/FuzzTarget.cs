using System.Diagnostics;
using System.Globalization;

namespace Vaultik.Tests.Fuzz;

/// <summary>
/// One parser under fuzzing and its contract: <see cref="Check"/> runs it on an input and says how the input
/// broke the contract (an exception outside <paramref name="allowed"/>, or more managed allocation than the
/// input can justify), or null when the parser returned or refused the input cleanly. Each failure has a
/// signature (exception type and the throwing method) so a run reports each distinct bug once.
/// </summary>
public sealed class FuzzTarget(string parser, Action<byte[]> parse, params Type[] allowed)
{
    /// <summary>Allocation any input may cause by default, plus <see cref="AllocationPerInputByte"/> for each input byte.</summary>
    public const long DefaultBaseAllocation = 64L << 20;

    public const long AllocationPerInputByte = 256;

    public string Parser { get; } = parser;

    /// <summary>Allocation any input may cause: more where the format itself allows large buffers (a 64 MiB chunk).</summary>
    public long BaseAllocation { get; init; } = DefaultBaseAllocation;

    public FuzzFailure? Check(byte[] input)
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
            return new FuzzFailure($"{ex.GetType().Name} at {Site(ex)}", $"threw {ex.GetType().FullName} (allowed: {string.Join(", ", allowed.Select(t => t.Name))}): {ex}");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var limit = BaseAllocation + (AllocationPerInputByte * input.Length);
        return allocated > limit
            ? new FuzzFailure("allocation", string.Create(CultureInfo.InvariantCulture, $"allocated {allocated} bytes for an input of {input.Length} bytes (limit {limit})"))
            : null;
    }

    /// <summary>The innermost Vaultik method on the exception's stack (not a test method): where the bug is.</summary>
    private static string Site(Exception ex)
    {
        foreach (var frame in new StackTrace(ex).GetFrames())
        {
            if (frame.GetMethod() is not { DeclaringType: { } declaring } method)
            {
                continue;
            }

            // Async and lambda bodies live in compiler-made nested types named <Method>d__N.
            var name = declaring.Name.StartsWith('<') ? declaring.Name : method.Name;
            var type = declaring;
            while (type.DeclaringType is not null)
            {
                type = type.DeclaringType;
            }

            if (type.Namespace is { } ns && ns.StartsWith("Vaultik.", StringComparison.Ordinal) && !ns.Contains(".Tests", StringComparison.Ordinal))
            {
                var end = name.IndexOf('>', StringComparison.Ordinal);
                return $"{type.Name}.{(name.StartsWith('<') && end > 0 ? name[1..end] : name)}";
            }
        }

        return "?";
    }
}
