using Microsoft.Data.Sqlite;
using Vaultik.Core.Daemon;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Tests.Daemon;

/// <summary>The daemon survives a failing run of any kind: it logs it, backs off (doubling, capped) and keeps serving.</summary>
public sealed class DaemonRunnerTests
{
    private sealed class NoDirtyPaths : IDirtyPathStore
    {
        public void Add(IReadOnlyCollection<string> paths)
        {
        }

        public bool Any() => false;
    }

    [Fact]
    public async Task Failing_runs_of_every_kind_are_logged_backed_off_and_retried_as_full_scans_until_one_succeeds()
    {
        Exception[] failures =
        [
            new IOException("No space left on device"),
            new SqliteException("SQLite Error 5: 'database is locked'.", 5),
            new UnauthorizedAccessException("Access to the path '/var/cache/vaultik' is denied."),
            new StorageException("cannot write blobs/x: 503 SlowDown (gave up after 8 attempts)"),
            new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."),
        ];
        var calls = new List<bool>();
        var log = new List<string>();
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var runner = new DaemonRunner(
            new DaemonSchedule(TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.FromHours(1)),
            [],
            new NoDirtyPaths(),
            (full, _) =>
            {
                lock (calls)
                {
                    calls.Add(full);
                    if (calls.Count <= failures.Length)
                    {
                        throw failures[calls.Count - 1];
                    }
                }

                done.CancelAfter(TimeSpan.FromMilliseconds(300));
                return Task.FromResult("snapshot ok");
            },
            line => { lock (log) { log.Add(line); } },
            tick: TimeSpan.FromMilliseconds(10),
            backoff: new DaemonBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(done.Token));

        // Every run was a full scan: the first one's, retried after each failure; after the success none is due.
        Assert.Equal(Enumerable.Repeat(true, failures.Length + 1), calls);
        var failed = log.Where(l => l.StartsWith("backup failed", StringComparison.Ordinal)).ToList();
        Assert.Equal(failures.Length, failed.Count);
        string[] delays = ["0.05s", "0.1s", "0.2s", "0.2s", "0.2s"];
        for (var i = 0; i < failures.Length; i++)
        {
            Assert.Contains(failures[i].Message, failed[i]);
            Assert.EndsWith($"; next attempt in {delays[i]} (failure {i + 1} in a row)", failed[i]);
        }

        Assert.Contains(log, l => l.StartsWith("backup (retrying the failed full scan): snapshot ok", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_during_a_run_ends_the_daemon_instead_of_counting_as_a_failure()
    {
        var log = new List<string>();
        using var stop = new CancellationTokenSource();
        var runner = new DaemonRunner(
            new DaemonSchedule(TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.FromHours(1)),
            [],
            new NoDirtyPaths(),
            async (_, token) =>
            {
                await stop.CancelAsync();
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
                return "never";
            },
            line => { lock (log) { log.Add(line); } },
            tick: TimeSpan.FromMilliseconds(10));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(log, l => l.StartsWith("backup failed", StringComparison.Ordinal));
    }

    [Fact]
    public void The_backoff_doubles_from_its_first_delay_up_to_its_cap()
    {
        var backoff = new DaemonBackoff(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30));
        Assert.Equal(
            [30, 60, 120, 240, 480, 960, 1800, 1800],
            Enumerable.Range(1, 8).Select(n => (int)backoff.After(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(30), backoff.After(int.MaxValue));
        Assert.Equal(DaemonBackoff.Default, backoff);
    }
}
