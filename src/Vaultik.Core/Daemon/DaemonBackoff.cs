namespace Vaultik.Core.Daemon;

/// <summary>
/// How long the daemon waits after failed runs before the next one: <see cref="First"/> after one failure,
/// doubling with each further failure in a row, at most <see cref="Max"/>. A success resets it.
/// </summary>
public sealed record DaemonBackoff(TimeSpan First, TimeSpan Max)
{
    /// <summary>30 s, 1 min, 2 min, … capped at 30 min (README, "vaultik daemon").</summary>
    public static readonly DaemonBackoff Default = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30));

    /// <summary>The wait after <paramref name="failures"/> failures in a row (from 1).</summary>
    public TimeSpan After(int failures)
    {
        var factor = Math.Pow(2, Math.Min(Math.Max(failures, 1) - 1, 62));
        var ticks = First.Ticks * factor;
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }
}
