using System.Text;
using Vaultik.Core.Layout;
using Vaultik.Core.Locking;
using Vaultik.Core.Storage;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Locking;

/// <summary>Leases: create-only, judged by the store's clock, released without deletes by shared holders.</summary>
public sealed class StoreLockManagerTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly MemoryObjectStore _memory = new();
    private readonly List<string> _log = [];

    private StoreLockManager Manager(IObjectStore? store = null, TimeSpan? lifetime = null) =>
        new(store ?? _memory, "test-host", lifetime ?? Lifetime, line => { lock (_log) { _log.Add(line); } });

    private async Task PutLeaseAsync(string id, string kind, DateTimeOffset created, TimeSpan declared, DateTimeOffset lastModified, long seq = 0, bool released = false)
    {
        var key = StoreLayout.LockLeaseKey(id, seq);
        var json = $$"""{"id":"{{id}}","kind":"{{kind}}","hostname":"other-host","pid":4242,"created":"{{created:O}}","expires":"{{created + declared:O}}"{{(released ? ",\"released\":true" : "")}}}""";
        await _memory.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(json)));
        _memory.SetModified(key, lastModified);
    }

    [Fact]
    public async Task A_shared_holder_releases_by_a_released_lease_and_never_deletes()
    {
        var host = new NoDeleteObjectStore(_memory);
        string id;
        await using (var held = await Manager(host).AcquireSharedAsync(CancellationToken.None))
        {
            id = held.Lock.Id;
            Assert.Equal([StoreLayout.LockLeaseKey(id, 0)], _memory.Keys.Where(k => k.StartsWith("locks/", StringComparison.Ordinal)));
        }

        Assert.Empty(host.DeleteAttempts);
        Assert.Equal([StoreLayout.LockLeaseKey(id, 0), StoreLayout.LockLeaseKey(id, 1)], _memory.Keys.Where(k => k.StartsWith("locks/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var listed = Assert.Single(await Manager().ListAsync(CancellationToken.None));
        Assert.True(listed.Lease.Released);
        Assert.False(listed.IsLive(DateTimeOffset.UtcNow));

        // The maintenance side takes its exclusive lock over it, removes it, says so, and deletes its own on release.
        await using (await Manager().AcquireExclusiveAsync(CancellationToken.None))
        {
            Assert.DoesNotContain(_memory.Keys, k => k.StartsWith($"locks/{id}/", StringComparison.Ordinal));
        }

        Assert.Contains(_log, l => l.Contains(id, StringComparison.Ordinal) && l.Contains("released", StringComparison.Ordinal));
        Assert.DoesNotContain(_memory.Keys, k => k.StartsWith("locks/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_exclusive_holder_whose_deletes_are_refused_releases_by_a_released_lease_and_blocks_no_one()
    {
        // prune or purge run with the backup host's put-only credentials: they fail, and must not leave a lock
        // that stops the host's own backups for a lifetime.
        var host = new NoDeleteObjectStore(_memory);
        string id;
        await using (var held = await Manager(host).AcquireExclusiveAsync(CancellationToken.None))
        {
            id = held.Lock.Id;
        }

        Assert.NotEmpty(host.DeleteAttempts);
        var listed = Assert.Single(await Manager().ListAsync(CancellationToken.None));
        Assert.Equal(id, listed.Id);
        Assert.True(listed.Lease.Released);
        Assert.Empty(_log);
        await using (await Manager(host).AcquireSharedAsync(CancellationToken.None))
        {
        }
    }

    [Fact]
    public async Task Exclusive_refuses_a_live_shared_lock_and_shared_a_live_exclusive_one_without_deleting()
    {
        var now = DateTimeOffset.UtcNow;
        await PutLeaseAsync("busy", StoreLock.Shared, now, Lifetime, now);
        var ex = await Assert.ThrowsAsync<LockHeldException>(() => Manager().AcquireExclusiveAsync(CancellationToken.None));
        Assert.Contains("other-host pid 4242", ex.Message);
        await using (await Manager(new NoDeleteObjectStore(_memory)).AcquireSharedAsync(CancellationToken.None))
        {
            // Shared locks coexist.
        }

        await PutLeaseAsync("maint", StoreLock.Exclusive, now, Lifetime, now);
        var host = new NoDeleteObjectStore(_memory);
        await Assert.ThrowsAsync<LockHeldException>(() => Manager(host).AcquireSharedAsync(CancellationToken.None));
        Assert.Empty(host.DeleteAttempts);
    }

    [Fact]
    public async Task A_shared_taker_that_finds_a_conflict_after_creating_writes_a_released_lease()
    {
        // The exclusive lease appears between the taker's two listings: a store that adds it on the first put.
        var now = DateTimeOffset.UtcNow;
        var racing = new RacingStore(_memory, () => PutLeaseAsync("maint", StoreLock.Exclusive, now, Lifetime, now));
        var host = new NoDeleteObjectStore(racing);
        await Assert.ThrowsAsync<LockHeldException>(() => Manager(host).AcquireSharedAsync(CancellationToken.None));
        Assert.Empty(host.DeleteAttempts);
        var mine = Assert.Single(await Manager().ListAsync(CancellationToken.None), l => l.Id != "maint");
        Assert.True(mine.Lease.Released);
        Assert.Equal(2, mine.Keys.Count);
    }

    [Fact]
    public async Task Liveness_goes_by_the_store_clock_and_a_forged_lifetime_is_capped()
    {
        var now = DateTimeOffset.UtcNow;
        // Its writer claims it runs to 2999, but the store last saw it 2 hours ago: the cap (1h) has passed.
        await PutLeaseAsync("forged", StoreLock.Exclusive, now, TimeSpan.FromDays(365 * 900), now.AddHours(-2));
        // The writer's clock says it expired long ago, but the store saw it a minute ago with a 10-minute lifetime.
        await PutLeaseAsync("skewed", StoreLock.Shared, now.AddYears(-1), Lifetime, now.AddMinutes(-1));
        var locks = await Manager().ListAsync(CancellationToken.None);
        Assert.False(locks.Single(l => l.Id == "forged").IsLive(now));
        Assert.Equal(now.AddHours(-1), locks.Single(l => l.Id == "forged").Expires);
        Assert.True(locks.Single(l => l.Id == "skewed").IsLive(now));
        await using (await Manager().AcquireSharedAsync(CancellationToken.None))
        {
            // The forged exclusive lease no longer blocks.
        }

        await Assert.ThrowsAsync<LockHeldException>(() => Manager().AcquireExclusiveAsync(CancellationToken.None));
        _memory.SetModified(StoreLayout.LockLeaseKey("forged", 0), now);
        await Assert.ThrowsAsync<LockHeldException>(() => Manager().AcquireSharedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_newest_lease_decides_and_break_lock_removes_only_stale_locks()
    {
        var now = DateTimeOffset.UtcNow;
        await PutLeaseAsync("done", StoreLock.Shared, now, Lifetime, now.AddMinutes(-5));
        await PutLeaseAsync("done", StoreLock.Shared, now, TimeSpan.Zero, now, seq: 1, released: true);
        await PutLeaseAsync("lapsed", StoreLock.Shared, now, Lifetime, now.AddMinutes(-30));
        await PutLeaseAsync("alive", StoreLock.Shared, now, Lifetime, now.AddMinutes(-30));
        await PutLeaseAsync("alive", StoreLock.Shared, now, Lifetime, now, seq: 1);
        await _memory.PutAsync(StoreLayout.LockKey("legacy"), new MemoryStream(Encoding.UTF8.GetBytes(
            $$"""{"id":"legacy","kind":"exclusive","hostname":"old","pid":1,"created":"{{now:O}}","expires":"{{now.AddMinutes(10):O}}"}""")));
        _memory.SetModified(StoreLayout.LockKey("legacy"), now.AddMinutes(-20));

        var removed = await Manager().BreakStaleAsync(CancellationToken.None);
        Assert.Equal(["done", "lapsed", "legacy"], removed.Select(l => l.Id).Order(StringComparer.Ordinal));
        Assert.Equal(3, _log.Count);
        var left = Assert.Single(await Manager().ListAsync(CancellationToken.None));
        Assert.Equal("alive", left.Id);
        Assert.Equal(2, left.Keys.Count);
    }

    [Fact]
    public async Task Refreshing_writes_new_leases_and_failing_refreshes_lose_the_lock()
    {
        var lifetime = TimeSpan.FromMilliseconds(1500);
        await using (var held = await Manager(lifetime: lifetime).AcquireSharedAsync(CancellationToken.None))
        {
            await Task.Delay(lifetime * 2);
            Assert.False(held.IsLost, held.LostReason);
            Assert.True(_memory.Keys.Count(k => k.StartsWith("locks/", StringComparison.Ordinal)) >= 3);
            held.EnsureHeld();
        }

        // Lock operations after the first three (list, create, list) fail for good.
        var fresh = new MemoryObjectStore();
        var failing = new FaultInjectingObjectStore(fresh, new FaultOptions(0, FailAfterOperations: 3, KeyPrefix: "locks/"));
        await using var lost = await Manager(failing, lifetime).AcquireSharedAsync(CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(lifetime / 2);
        Assert.False(lost.IsLost);
        await Task.Delay(Timeout.InfiniteTimeSpan, lost.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(lost.IsLost);
        Assert.InRange(clock.Elapsed, lifetime / 2, lifetime * 3);
        var ex = Assert.Throws<LockLostException>(() => lost.EnsureHeld("finish the test"));
        Assert.StartsWith("cannot finish the test: lost the store lock (not refreshed for 1.5s; last error: cannot write locks/", ex.Message);
        // The guarded store refuses every operation from now on.
        await Assert.ThrowsAsync<LockLostException>(() => lost.Guard(fresh).PutAsync("blobs/x", new MemoryStream([1])));
        Assert.DoesNotContain("blobs/x", fresh.Keys);
    }

    /// <summary>Runs an action once, just after the first put, to stage a race between two takers.</summary>
    private sealed class RacingStore(MemoryObjectStore inner, Func<Task> afterFirstPut) : IObjectStore
    {
        private int _puts;

        public string Location => inner.Location;

        public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
        {
            await inner.PutAsync(key, content, cancellationToken);
            if (Interlocked.Increment(ref _puts) == 1)
            {
                await afterFirstPut();
            }
        }

        public Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default) => inner.PutFileAsync(key, path, cancellationToken);

        public Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default) => inner.GetAsync(key, range, cancellationToken);

        public Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default) =>
            inner.GetVersionAsync(key, versionId, range, cancellationToken);

        public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default) => inner.StatAsync(key, cancellationToken);

        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListVersionsAsync(prefix, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

        public Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
            inner.ExtendRetentionAsync(key, versionId, until, cancellationToken);
    }
}
