namespace Vaultik.Core.Daemon;

/// <summary>
/// When the daemon backs up: when paths are dirty and <see cref="BackupInterval"/> has passed since the last
/// run (never sooner than <see cref="MinTimeBetweenRuns"/>), and a full scan every
/// <see cref="FullScanInterval"/> or after the watcher overflowed, dirty or not.
/// </summary>
public sealed record DaemonSchedule(TimeSpan BackupInterval, TimeSpan MinTimeBetweenRuns, TimeSpan FullScanInterval)
{
    public bool IsDue(DateTimeOffset now, DateTimeOffset? lastRun, DateTimeOffset lastFullScan, bool dirty, bool overflowed, out string reason)
    {
        reason = string.Empty;
        if (lastRun is { } last && now - last < MinTimeBetweenRuns)
        {
            return false;
        }

        if (overflowed)
        {
            reason = "the file watcher overflowed; full scan";
            return true;
        }

        if (now - lastFullScan >= FullScanInterval)
        {
            reason = "full scan interval reached";
            return true;
        }

        if (dirty && (lastRun is null || now - lastRun.Value >= BackupInterval))
        {
            reason = "paths changed";
            return true;
        }

        return false;
    }
}
