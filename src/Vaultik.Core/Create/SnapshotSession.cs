using Vaultik.Core.Config;
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

    /// <summary>Runs <paramref name="jobs"/> in order; <paramref name="starting"/> sees each job's live statistics.</summary>
    public async Task<IReadOnlyList<CreateResult>> RunAsync(
        IReadOnlyList<CreateOptions> jobs, TimeSpan waitForLock, Func<CreateOptions, CreateStats, IAsyncDisposable?> starting, CancellationToken cancellationToken)
    {
        using var runLock = await LocalRunLock.AcquireAsync(_config.IndexPath, waitForLock, cancellationToken).ConfigureAwait(false);
        RemoveLeftovers(TempDirectory(_config));
        using var index = LocalIndex.Open(_config.IndexPath, _warn);
        // The backup host may have no delete right: this lock is released by a final lease, never a delete.
        await using var shared = await new StoreLockManager(_store, _config.Hostname, _config.LockLifetime, _warn).AcquireSharedAsync(cancellationToken).ConfigureAwait(false);
        var store = shared.Guard(_store);
        // The daemon's runs cover the dirty paths marked so far; they are forgotten only when every job succeeded.
        var dirty = jobs.Any(j => j.Walk != WalkMode.Full) ? index.DirtyPaths.Load(MaxDirtyPathsForIncrementalWalk) : null;
        var results = new List<CreateResult>();
        foreach (var planned in jobs)
        {
            var job = planned.Walk == WalkMode.Incremental ? planned with { DirtyPaths = dirty?.Paths } : planned;
            var stats = new CreateStats();
            var progress = starting(job, stats);
            try
            {
                results.Add(await new SnapshotCreator(store, index, _observer, shared).RunAsync(job, stats, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                if (progress is not null)
                {
                    await progress.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        if (dirty is not null)
        {
            index.DirtyPaths.Remove(dirty.ThroughId);
        }

        return results;
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
