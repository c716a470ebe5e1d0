using System.Collections.Concurrent;
using Vaultik.Core.Create;

namespace Vaultik.Core.Daemon;

/// <summary>
/// Watches the snapshot roots (inotify through FileSystemWatcher), records every changed path in the
/// <see cref="IDirtyPathStore"/> (once a tick), and runs backups on the <see cref="DaemonSchedule"/>: an
/// incremental one when paths are dirty, a full scan on start, every full-scan interval and after the watcher
/// overflowed. A run that fails, however (a store, I/O or index error), is logged and the daemon keeps
/// serving: the next run waits out a <see cref="DaemonBackoff"/> (doubling, capped), and a failed full scan is
/// retried as a full scan. Cancellation (SIGTERM/SIGINT) abandons a running backup safely — its manifest is
/// never written — and returns.
/// </summary>
public sealed class DaemonRunner
{
    private readonly DaemonSchedule _schedule;
    private readonly IReadOnlyList<string> _roots;
    private readonly IDirtyPathStore _dirty;
    private readonly Func<bool, CancellationToken, Task<string>> _backup;
    private readonly Action<string> _log;
    private readonly TimeSpan _tick;
    private readonly DaemonBackoff _backoff;
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);
    private int _overflowed;

    /// <param name="backup">Runs one backup (a full scan when its first argument is true) and returns a one-line summary.</param>
    public DaemonRunner(
        DaemonSchedule schedule, IReadOnlyList<string> roots, IDirtyPathStore dirty, Func<bool, CancellationToken, Task<string>> backup,
        Action<string> log, TimeSpan? tick = null, DaemonBackoff? backoff = null)
    {
        _backoff = backoff ?? DaemonBackoff.Default;
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
            var state = new RunState();
            using var timer = new PeriodicTimer(_tick);
            do
            {
                try
                {
                    await TickAsync(state, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Whatever one run (or the dirty-path bookkeeping) hit, the daemon keeps serving. The dirty
                    // paths stay recorded, so the next due run covers them again.
                    state.Failures++;
                    var wait = _backoff.After(state.Failures);
                    state.NotBefore = DateTimeOffset.UtcNow + wait;
                    var message = ex is VaultikException or IOException or UnauthorizedAccessException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                    _log($"backup failed ({state.Reason}): {message.ReplaceLineEndings(" ")}; next attempt in {wait.TotalSeconds:0.###}s (failure {state.Failures} in a row)");
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

    /// <summary>One tick: records the dirty paths, and runs a backup when one is due and no backoff holds it.</summary>
    private async Task TickAsync(RunState state, CancellationToken cancellationToken)
    {
        state.Reason = "recording changed paths";
        FlushPending();
        var now = DateTimeOffset.UtcNow;
        if (now < state.NotBefore)
        {
            return;
        }

        if (!_schedule.IsDue(now, state.LastRun, state.LastFullScan, _dirty.Any(), Volatile.Read(ref _overflowed) == 1 || state.RetryFullScan, out var reason))
        {
            return;
        }

        if (state.RetryFullScan && Volatile.Read(ref _overflowed) == 0)
        {
            reason = "retrying the failed full scan";
        }

        var full = reason != "paths changed";
        Interlocked.Exchange(ref _overflowed, 0);
        state.LastRun = now;
        state.Reason = reason;
        // Until this run succeeds, a full scan is owed (a failed one is not counted as done).
        state.RetryFullScan |= full;
        var summary = await _backup(full, cancellationToken).ConfigureAwait(false);
        if (full)
        {
            state.LastFullScan = now;
            state.RetryFullScan = false;
        }

        state.Failures = 0;
        _log($"backup ({reason}): {summary}");
    }

    /// <summary>Moves the paths the watcher reported since the last tick into the store; on failure they stay pending.</summary>
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

        try
        {
            _dirty.Add(batch);
        }
        catch
        {
            foreach (var path in batch)
            {
                _pending.TryAdd(path, 0);
            }

            throw;
        }
    }

    /// <summary>The schedule's memory between ticks.</summary>
    private sealed class RunState
    {
        public DateTimeOffset? LastRun { get; set; }

        public DateTimeOffset LastFullScan { get; set; } = DateTimeOffset.MinValue;

        public bool RetryFullScan { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset NotBefore { get; set; } = DateTimeOffset.MinValue;

        public string Reason { get; set; } = string.Empty;
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
