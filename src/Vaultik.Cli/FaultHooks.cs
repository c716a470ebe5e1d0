using System.Globalization;
using Vaultik.Core;
using Vaultik.Core.Create;
using Vaultik.Core.Storage;

namespace Vaultik.Cli;

/// <summary>
/// The testing hooks of the real binary, read from the environment: <c>VAULTIK_FAULT_RATE</c> (0..1, with
/// optional <c>VAULTIK_FAULT_SEED</c>) wraps the backend in a <see cref="FaultInjectingObjectStore"/>, and
/// <c>VAULTIK_FAULT_CRASH_AFTER=N</c> wraps that in one more that makes every store operation after the
/// first N fail for good (a simulated crash at that point), and <c>VAULTIK_FAULT_LATENCY_MS=N</c> makes every
/// store operation wait N milliseconds first (a slow store). <c>VAULTIK_FAULT_KEYS=PREFIX</c> limits the
/// failures (RATE and CRASH_AFTER) to operations on keys and list prefixes starting with PREFIX, and only those
/// are counted; the latency stays store-wide, so a test can slow a whole run while only its lock writes fail.
/// <c>VAULTIK_FAULT_LOG=FILE</c> (with CRASH_AFTER) logs every counted operation, the crashing ones included.
/// <c>VAULTIK_FAULT_UNREADABLE=PATH</c> makes <c>snapshot create</c>'s opening of the source file PATH (as
/// given to the snapshot, absolute) fail with EACCES, as an unreadable file does for a user who is not root.
/// Unset variables leave the store and the sources as they are.
/// </summary>
internal static class FaultHooks
{
    public static IObjectStore Wrap(IObjectStore store)
    {
        var keys = Environment.GetEnvironmentVariable("VAULTIK_FAULT_KEYS") is { Length: > 0 } prefix ? prefix : null;
        if (Environment.GetEnvironmentVariable("VAULTIK_FAULT_RATE") is { Length: > 0 } rateText)
        {
            if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
            {
                throw new ConfigurationException($"cannot use VAULTIK_FAULT_RATE '{rateText}': give a number from 0 to 1");
            }

            int? seed = int.TryParse(Environment.GetEnvironmentVariable("VAULTIK_FAULT_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
            store = new FaultInjectingObjectStore(store, new FaultOptions(rate, seed, KeyPrefix: keys));
        }

        if (Environment.GetEnvironmentVariable("VAULTIK_FAULT_CRASH_AFTER") is { Length: > 0 } crashText)
        {
            if (!int.TryParse(crashText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var after) || after < 0)
            {
                throw new ConfigurationException($"cannot use VAULTIK_FAULT_CRASH_AFTER '{crashText}': give a whole number of operations");
            }

            store = new FaultInjectingObjectStore(store, new FaultOptions(0, FailAfterOperations: after, KeyPrefix: keys) { OnOperation = OperationLog() });
        }

        if (Environment.GetEnvironmentVariable("VAULTIK_FAULT_LATENCY_MS") is { Length: > 0 } latencyText)
        {
            if (!int.TryParse(latencyText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) || ms < 0)
            {
                throw new ConfigurationException($"cannot use VAULTIK_FAULT_LATENCY_MS '{latencyText}': give a whole number of milliseconds");
            }

            store = new FaultInjectingObjectStore(store, new FaultOptions(0, Latency: TimeSpan.FromMilliseconds(ms)));
        }

        return store;
    }

    /// <summary>With <c>VAULTIK_FAULT_LOG=FILE</c>, the crash wrapper appends each counted operation to FILE as <c>N KIND KEY</c> (so a test can tell which operation a crash hit).</summary>
    private static Action<long, string, string>? OperationLog()
    {
        if (Environment.GetEnvironmentVariable("VAULTIK_FAULT_LOG") is not { Length: > 0 } path)
        {
            return null;
        }

        var gate = new object();
        return (number, kind, key) =>
        {
            lock (gate)
            {
                File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{number} {kind} {key}\n"));
            }
        };
    }

    /// <summary>The jobs with <c>VAULTIK_FAULT_UNREADABLE</c>'s path made unreadable; unset, the jobs as they are.</summary>
    public static IReadOnlyList<CreateOptions> WrapSources(IReadOnlyList<CreateOptions> jobs)
    {
        if (Environment.GetEnvironmentVariable("VAULTIK_FAULT_UNREADABLE") is not { Length: > 0 } unreadable)
        {
            return jobs;
        }

        if (!Path.IsPathFullyQualified(unreadable))
        {
            throw new ConfigurationException($"cannot use VAULTIK_FAULT_UNREADABLE '{unreadable}': give an absolute path");
        }

        return [.. jobs.Select(job => job with { OpenSource = path => path == unreadable ? throw new UnauthorizedAccessException($"cannot open {path}: Permission denied") : job.OpenSource(path) })];
    }
}
