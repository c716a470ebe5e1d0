using System.Collections.Concurrent;
using Vaultik.Core.Create;

namespace Vaultik.Core.Daemon;

/// <summary>
/// Watches the snapshot roots (inotify through FileSystemWatcher), records every changed path in the
/// <see cref="IDirtyPathStore"/> (once a tick), and runs backups on the <see cref="DaemonSchedule"/>: an
/// incremental one when paths are dirty, a full scan on start, every full-scan interval and after the watcher
/// overflowed. Cancellation (SIGTERM/SIGINT) abandons a running backup safely — its manifest is never
/// written — and returns.
/// </summary>
public sealed class DaemonRunner
{
    private readonly DaemonSchedule _schedule;
    private readonly IReadOnlyList<string> _roots;
    private readonly IDirtyPathStore _dirty;
    private readonly Func<bool, CancellationToken, Task<string>> _backup;
    private readonly Action<string> _log;
    private readonly TimeSpan _tick;
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);
    private int _overflowed;

    /// <param name="backup">Runs one backup (a full scan when its first argument is true) and returns a one-line summary.</param>
    public DaemonRunner(
        DaemonSchedule schedule, IReadOnlyList<string> roots, IDirtyPathStore dirty, Func<bool, CancellationToken, Task<string>> backup,
        Action<string> log, TimeSpan? tick = null)
    {
        _schedule = schedule;
        _roots = roots;
        _dirty = dirty;
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
                FlushPending();
                var now = DateTimeOffset.UtcNow;
                if (!_schedule.IsDue(now, lastRun, lastFullScan, _dirty.Any(), Volatile.Read(ref _overflowed) == 1, out var reason))
                {
                    continue;
                }

                var full = reason != "paths changed";
                Interlocked.Exchange(ref _overflowed, 0);
                lastRun = now;
                if (full)
                {
                    lastFullScan = now;
                }

                try
                {
                    _log($"backup ({reason}): {await _backup(full, cancellationToken).ConfigureAwait(false)}");
                }
                catch (VaultikException ex)
                {
                    // The dirty paths stay recorded, so the next due run covers them again.
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

    /// <summary>Moves the paths the watcher reported since the last tick into the store.</summary>
    private void FlushPending()
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        var batch = new List<string>();
        foreach (var path in _pending.Keys)
        {
            if (_pending.TryRemove(path, out _))
            {
                batch.Add(path);
            }
        }

        _dirty.Add(batch);
    }

    private FileSystemWatcher Watch(string root)
    {
        var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes | NotifyFilters.Security,
            InternalBufferSize = 64 * 1024,
        };
        // A changed path makes every directory above it dirty too (DirtySetShortcut checks by prefix).
        void MarkDirty(object sender, FileSystemEventArgs e) => _pending.TryAdd(e.FullPath, 0);
        watcher.Changed += MarkDirty;
        watcher.Created += MarkDirty;
        watcher.Deleted += MarkDirty;
        watcher.Renamed += (s, e) =>
        {
            _pending.TryAdd(e.OldFullPath, 0);
            MarkDirty(s, e);
        };
        watcher.Error += (_, e) =>
        {
            Interlocked.Exchange(ref _overflowed, 1);
            _log($"file watcher error ({e.GetException().Message}); a full scan follows");
        };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
