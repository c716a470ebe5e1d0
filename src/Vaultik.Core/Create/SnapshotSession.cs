using Vaultik.Core.Config;
using Vaultik.Core.Hooks;
using Vaultik.Core.Index;
using Vaultik.Core.Locking;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Create;

/// <summary>
/// One run of one or more snapshots with everything around them: the local run lock (one run per index),
/// the index, and a shared store lock so no prune can remove what the run relies on. Every store call of the
/// run goes through the lock's guard, so a run that lost its lock stops at its next store call.
/// </summary>
public sealed class SnapshotSession
{
    private readonly VaultikConfig _config;
    private readonly IObjectStore _store;
    private readonly ICreateObserver _observer;
    private readonly Action<string> _warn;

    public SnapshotSession(VaultikConfig config, IObjectStore store, ICreateObserver observer, Action<string> warn)
    {
        _config = config;
        _store = store;
        _observer = observer;
        _warn = warn;
    }

    /// <summary>What hooks print (one line each, already prefixed with the hook's kind); nowhere by default.</summary>
    public Action<string> HookOutput { get; init; } = _ => { };

    /// <summary>
    /// Runs <paramref name="jobs"/> in order; <paramref name="starting"/> sees each job's live statistics. Each
    /// job's <c>before</c> hooks run first: one failing skips that job (its <c>on_failure</c> hooks run, the
    /// next job follows). A job that fails runs its <c>on_failure</c> hooks and stops the run, as before;
    /// one that succeeds runs its <c>after</c> hooks.
    /// </summary>
    public async Task<SessionResult> RunAsync(
        IReadOnlyList<CreateOptions> jobs, TimeSpan waitForLock, Func<CreateOptions, CreateStats, IAsyncDisposable?> starting, CancellationToken cancellationToken)
    {
        try
        {
            return await RunJobsAsync(jobs, waitForLock, starting, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (DiskFullError(ex) is { } full)
        {
            throw full;
        }
    }

    /// <summary>A full staging directory or index as one line naming it (<see cref="CreateDiskFull"/>), else null.</summary>
    private VaultikException? DiskFullError(Exception error) => CreateDiskFull.Explain(error, _config.IndexPath, TempDirectory(_config));

    private async Task<SessionResult> RunJobsAsync(
        IReadOnlyList<CreateOptions> jobs, TimeSpan waitForLock, Func<CreateOptions, CreateStats, IAsyncDisposable?> starting, CancellationToken cancellationToken)
    {
        using var runLock = await LocalRunLock.AcquireAsync(_config.IndexPath, waitForLock, cancellationToken, _observer.Info).ConfigureAwait(false);
        RemoveLeftovers(TempDirectory(_config));
        using var index = LocalIndex.Open(_config.IndexPath, _warn);
        // The backup host may have no delete right: this lock is released by a final lease, never a delete.
        await using var shared = await new StoreLockManager(_store, _config.Hostname, _config.LockLifetime, _warn).AcquireSharedAsync(cancellationToken).ConfigureAwait(false);
        var store = shared.Guard(_store);
        // The daemon's runs cover the dirty paths marked so far; they are forgotten only when every job succeeded.
        var dirty = jobs.Any(j => j.Walk != WalkMode.Full) ? index.DirtyPaths.Load(MaxDirtyPathsForIncrementalWalk) : null;
        var hooks = new HookRunner(_config.HookTimeout, HookOutput);
        var results = new List<CreateResult>();
        var errors = new List<string>();
        foreach (var planned in jobs)
        {
            var job = planned.Walk == WalkMode.Incremental ? planned with { DirtyPaths = dirty?.Paths } : planned;
            var stats = new CreateStats();
            if (await HookEnvironment.RunAsync(hooks, HookKind.Before, job, stats, () => null, null, cancellationToken).ConfigureAwait(false) is { } skipped)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await OnFailureAsync(hooks, job, stats, new OperationCanceledException(skipped), errors).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var line = $"{skipped}; snapshot {job.Name} skipped";
                errors.Add(line);
                await OnFailureAsync(hooks, job, stats, new HookFailedException(line), errors).ConfigureAwait(false);
                continue;
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            CreateResult result;
            var progress = starting(job, stats);
            try
            {
                result = await new SnapshotCreator(store, index, _observer, shared).RunAsync(job, stats, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                stats.Duration = clock.Elapsed;
                var full = DiskFullError(ex);
                await OnFailureAsync(hooks, job, stats, full ?? ex, errors).ConfigureAwait(false);
                if (full is not null)
                {
                    throw full;
                }

                throw;
            }
            finally
            {
                if (progress is not null)
                {
                    await progress.DisposeAsync().ConfigureAwait(false);
                }
            }

            var afterError = await HookEnvironment.RunAsync(hooks, HookKind.After, job, stats, () => Outcomes.For(result), null, cancellationToken).ConfigureAwait(false);
            results.Add(afterError is null ? result : result with { HookError = $"{afterError}; snapshot {result.Manifest.Id} was made and is kept" });
        }

        if (dirty is not null && errors.Count == 0)
        {
            index.DirtyPaths.Remove(dirty.ThroughId);
        }

        return new SessionResult(results, errors);
    }

    /// <summary>The exit code each outcome will have, for <c>VAULTIK_EXIT_CODE</c>.</summary>
    public required IOutcomeCodes Outcomes { get; init; }

    /// <summary>Runs the job's <c>on_failure</c> hooks; they run even when the run was interrupted (bounded by hook_timeout).</summary>
    private async Task OnFailureAsync(HookRunner hooks, CreateOptions job, CreateStats stats, Exception error, List<string> errors)
    {
        if (await HookEnvironment.RunAsync(hooks, HookKind.OnFailure, job, stats, () => Outcomes.For(error), error.Message, CancellationToken.None).ConfigureAwait(false) is { } failed)
        {
            _warn(failed);
            errors.Add(failed);
        }
    }

    /// <summary>Above this many dirty paths a daemon run walks everything (one listing beats many range checks).</summary>
    public const int MaxDirtyPathsForIncrementalWalk = 100_000;

    /// <summary>
    /// Deletes what a killed run left in the staging directory. Safe: the run lock is held, so no other run
    /// on this index is using it.
    /// </summary>
    private void RemoveLeftovers(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }

            _warn($"removed {entry}, left behind by an interrupted run");
        }
    }

    /// <summary>Where a run stages blobs and metadata before upload: beside the index.</summary>
    public static string TempDirectory(VaultikConfig config) => Path.Combine(Path.GetDirectoryName(config.IndexPath)!, "tmp");
}
