namespace Vaultik.Core.Daemon;

/// <summary>
/// Watches the snapshot roots (inotify through FileSystemWatcher) and runs backups on the
/// <see cref="DaemonSchedule"/>. Cancellation (SIGTERM/SIGINT) abandons a running backup safely — its
/// manifest is never written — and returns.
/// </summary>
public sealed class DaemonRunner
{
    private readonly DaemonSchedule _schedule;
    private readonly IReadOnlyList<string> _roots;
    private readonly Func<CancellationToken, Task<string>> _backup;
    private readonly Action<string> _log;
    private readonly TimeSpan _tick;
    private int _dirty;
    private int _overflowed;

    /// <param name="backup">Runs one backup and returns a one-line summary.</param>
    public DaemonRunner(DaemonSchedule schedule, IReadOnlyList<string> roots, Func<CancellationToken, Task<string>> backup, Action<string> log, TimeSpan? tick = null)
    {
        _schedule = schedule;
        _roots = roots;
        _backup = backup;
        _log = log;
        _tick = tick ?? TimeSpan.FromSeconds(1);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watchers = _roots.Where(Directory.Exists).Select(Watch).ToList();
        try
        {
            _log($"daemon started: watching {string.Join(", ", _roots)}");
            DateTimeOffset? lastRun = null;
            var lastFullScan = DateTimeOffset.MinValue;
            using var timer = new PeriodicTimer(_tick);
            do
            {
                var now = DateTimeOffset.UtcNow;
                if (!_schedule.IsDue(now, lastRun, lastFullScan, Volatile.Read(ref _dirty) == 1, Volatile.Read(ref _overflowed) == 1, out var reason))
                {
                    continue;
                }

                var full = reason != "paths changed";
                Interlocked.Exchange(ref _dirty, 0);
                Interlocked.Exchange(ref _overflowed, 0);
                lastRun = now;
                if (full)
                {
                    lastFullScan = now;
                }

                try
                {
                    _log($"backup ({reason}): {await _backup(cancellationToken).ConfigureAwait(false)}");
                }
                catch (VaultikException ex)
                {
                    Interlocked.Exchange(ref _dirty, 1);
                    _log($"backup failed ({reason}): {ex.Message}");
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    private FileSystemWatcher Watch(string root)
    {
        var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes | NotifyFilters.Security,
            InternalBufferSize = 64 * 1024,
        };
        void MarkDirty(object sender, FileSystemEventArgs e) => Interlocked.Exchange(ref _dirty, 1);
        watcher.Changed += MarkDirty;
        watcher.Created += MarkDirty;
        watcher.Deleted += MarkDirty;
        watcher.Renamed += (s, e) => MarkDirty(s, e);
        watcher.Error += (_, e) =>
        {
            Interlocked.Exchange(ref _overflowed, 1);
            _log($"file watcher error ({e.GetException().Message}); a full scan follows");
        };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
