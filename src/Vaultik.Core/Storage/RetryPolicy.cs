namespace Vaultik.Core.Storage;

/// <summary>
/// Exponential backoff with full jitter, bounded both in attempts and in total time: <see cref="MaxTotal"/> counts
/// from the first failure (the failed attempt's own time is not charged), and one retry is always made. No built-in default:
/// the composition that builds the store chain passes the values.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay, TimeSpan MaxTotal)
{
    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var cap = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }
}
