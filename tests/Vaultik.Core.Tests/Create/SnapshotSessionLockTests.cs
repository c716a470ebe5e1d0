using Microsoft.Data.Sqlite;
using Vaultik.Age;
using Vaultik.Core.Config;
using Vaultik.Core.Create;
using Vaultik.Core.Layout;
using Vaultik.Core.Locking;
using Vaultik.Core.Storage;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Create;

/// <summary>A snapshot run needs no delete right, and stops without a manifest when it loses its store lock.</summary>
public sealed class SnapshotSessionLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-session-lock-").FullName;
    private readonly MemoryObjectStore _memory = new();
    private readonly List<string> _warnings = [];

    public SnapshotSessionLockTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "src"));
        for (var i = 0; i < 20; i++)
        {
            File.WriteAllText(Path.Combine(_dir, "src", $"f{i}.txt"), $"file {i} " + new string('x', i * 100));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private VaultikConfig Config(string lifetime) => ConfigLoader.Parse(
        $"age_recipients: [{X25519Identity.Generate().Recipient}]\nhostname: lockhost\nindex_path: {Path.Combine(_dir, "index.sqlite")}\nlock_lifetime: {lifetime}\n", "c.yml");

    private Task<SessionResult> RunAsync(VaultikConfig config, IObjectStore store)
    {
        var session = new SnapshotSession(config, store, NullCreateObserver.Instance, w => { lock (_warnings) { _warnings.Add(w); } }) { Outcomes = new NoHookOutcomes() };
        var jobs = SnapshotJobs.Plan(config, [Path.Combine(_dir, "src")], null, [], SnapshotSession.TempDirectory(config));
        return session.RunAsync(jobs, TimeSpan.Zero, (_, _) => null, CancellationToken.None);
    }

    [Fact]
    public async Task Two_snapshot_runs_succeed_with_a_store_that_refuses_every_delete()
    {
        var host = new NoDeleteObjectStore(_memory);
        var config = Config("10m");
        Assert.Equal(TimeSpan.FromMinutes(10), config.LockLifetime);
        await RunAsync(config, host);
        File.WriteAllText(Path.Combine(_dir, "src", "new.txt"), "changed");
        await RunAsync(config, host);

        Assert.Empty(host.DeleteAttempts);
        Assert.Empty(_warnings);
        var locks = await new StoreLockManager(_memory, "x", TimeSpan.FromMinutes(1), _ => { }).ListAsync(CancellationToken.None);
        Assert.Equal(2, locks.Count);
        Assert.All(locks, l => Assert.True(l.Lease.Released));
        Assert.Equal(2, _memory.Keys.Count(k => k.EndsWith(StoreLayout.ManifestFileName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_run_that_loses_its_lock_fails_before_writing_metadata_or_manifest()
    {
        // Lock operations after the first three (list, create, list) fail; metadata listings take 2.5s, so the
        // 1s lease lapses while the run picks its snapshot id.
        var failingLocks = new FaultInjectingObjectStore(_memory, new FaultOptions(0, FailAfterOperations: 3, KeyPrefix: "locks/"));
        var slow = new FaultInjectingObjectStore(failingLocks, new FaultOptions(0, Latency: TimeSpan.FromMilliseconds(2500), KeyPrefix: "metadata/"));
        var ex = await Assert.ThrowsAsync<LockLostException>(() => RunAsync(Config("1s"), slow));

        Assert.Matches("^cannot finish snapshot [0-9-]+-lockhost-adhoc-[0-9a-f]+: lost the store lock \\(not refreshed for 1s; last error: cannot write locks/.*injected crash\\)$", ex.Message);
        Assert.DoesNotContain(_memory.Keys, k => k.StartsWith(StoreLayout.MetadataPrefix, StringComparison.Ordinal));
        Assert.Contains(_warnings, w => w.StartsWith("cannot release shared lock", StringComparison.Ordinal));
    }

    [Fact]
    public void Lock_lifetime_is_checked()
    {
        Assert.Equal(ConfigDefaults.LockLifetime, ConfigLoader.Parse($"age_recipients: [{X25519Identity.Generate().Recipient}]\n", "c.yml").LockLifetime);
        Assert.Equal(TimeSpan.FromSeconds(3), Config("3s").LockLifetime);
        Assert.Contains("lock_lifetime", Assert.Throws<ConfigurationException>(() => Config("2h")).Message);
        Assert.Contains("lock_lifetime", Assert.Throws<ConfigurationException>(() => Config("soon")).Message);
    }

    /// <summary>These runs have no hooks, so no exit code is ever asked for.</summary>
    private sealed class NoHookOutcomes : IOutcomeCodes
    {
        public int For(CreateResult result) => throw new InvalidOperationException("no hooks are configured");

        public int For(Exception error) => throw new InvalidOperationException("no hooks are configured", error);
    }
}
