using System.Text;
using Vaultik.Core.Layout;
using Vaultik.Core.Locking;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Locking;

/// <summary>
/// The lock protocol's failure cases: a lease that cannot be read blocks like a live one and is named, a stale
/// lock is taken over, and a refresh that fails in any way (not only with the store's own errors) loses the lock.
/// </summary>
public sealed class LockProtocolTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly MemoryObjectStore _memory = new();
    private readonly List<string> _log = [];

    private StoreLockManager Manager(Vaultik.Core.Storage.IObjectStore? store = null, TimeSpan? lifetime = null) =>
        new(store ?? _memory, "test-host", lifetime ?? Lifetime, line => { lock (_log) { _log.Add(line); } });

    private async Task PutRawAsync(string key, string body, DateTimeOffset lastModified)
    {
        await _memory.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(body)));
        _memory.SetModified(key, lastModified);
    }

    [Theory]
    [InlineData("{\"id\":\"broken\",\"kind\":\"exclu")] // cut short
    [InlineData("\u0000\u0001not json")]
    [InlineData("{\"id\":\"broken\",\"kind\":\"weird\",\"hostname\":\"h\",\"pid\":1,\"created\":\"2026-01-01T00:00:00Z\",\"expires\":\"2026-01-01T00:10:00Z\"}")]
    public async Task An_unreadable_lease_blocks_both_kinds_of_taker_and_is_named(string body)
    {
        var key = StoreLayout.LockLeaseKey("broken", 0);
        await PutRawAsync(key, body, DateTimeOffset.UtcNow.AddMinutes(-1));
        var shared = await Assert.ThrowsAsync<LockHeldException>(() => Manager().AcquireSharedAsync(CancellationToken.None));
        var exclusive = await Assert.ThrowsAsync<LockHeldException>(() => Manager().AcquireExclusiveAsync(CancellationToken.None));
        foreach (var ex in new[] { shared, exclusive })
        {
            Assert.Contains($"unreadable lock object {key}", ex.Message);
            Assert.Contains("--break-lock", ex.Message);
        }

        Assert.StartsWith("cannot take a shared lock on the store: ", shared.Message);
        // Nothing was removed, and the refused takers released what they wrote.
        Assert.Contains(key, _memory.Keys);
        Assert.All((await Manager().ListAsync(CancellationToken.None)).Where(l => l.Id != "broken"), l => Assert.True(l.Lease.Released));
    }

    [Fact]
    public async Task An_unreadable_lease_lapses_after_the_longest_lifetime_and_is_then_taken_over()
    {
        var key = StoreLayout.LockLeaseKey("broken", 0);
        await PutRawAsync(key, "garbage", DateTimeOffset.UtcNow - StoreLock.MaxLifetime - TimeSpan.FromMinutes(5));
        await using (await Manager().AcquireExclusiveAsync(CancellationToken.None))
        {
            Assert.DoesNotContain(key, _memory.Keys);
        }

        Assert.Contains(_log, l => l.Contains("broken", StringComparison.Ordinal) && l.Contains("unreadable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Break_lock_removes_an_unreadable_lease_at_once()
    {
        var key = StoreLayout.LockLeaseKey("broken", 0);
        await PutRawAsync(key, "garbage", DateTimeOffset.UtcNow);
        var removed = await Manager().BreakStaleAsync(CancellationToken.None);
        Assert.Equal(["broken"], removed.Select(l => l.Id));
        await using (await Manager().AcquireSharedAsync(CancellationToken.None))
        {
        }
    }

    [Fact]
    public async Task A_lapsed_lock_of_another_host_is_taken_over_by_an_exclusive_taker_and_blocks_no_shared_one()
    {
        var now = DateTimeOffset.UtcNow;
        var key = StoreLayout.LockLeaseKey("gone", 3);
        await PutRawAsync(key, $$"""{"id":"gone","kind":"exclusive","hostname":"other","pid":7,"created":"{{now.AddMinutes(-30):O}}","expires":"{{now.AddMinutes(-20):O}}"}""", now.AddMinutes(-30));
        await using (await Manager().AcquireSharedAsync(CancellationToken.None))
        {
            Assert.Contains(key, _memory.Keys); // a shared holder never deletes
        }

        await using (await Manager().AcquireExclusiveAsync(CancellationToken.None))
        {
            Assert.DoesNotContain(key, _memory.Keys);
        }

        Assert.Contains(_log, l => l.StartsWith("removed stale exclusive lock gone held by other pid 7", StringComparison.Ordinal) && l.Contains("expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refresh_that_fails_with_an_unexpected_error_loses_the_lock_names_the_error_and_releasing_does_not_throw()
    {
        var lifetime = TimeSpan.FromSeconds(3);
        var hooked = new HookedObjectStore(_memory)
        {
            // The first put is the lease; every refresh is refused the way a local directory refuses a non-root user.
            Before = (op, key, n) => op == "put" && n > 1 && key.StartsWith("locks/", StringComparison.Ordinal)
                ? throw new UnauthorizedAccessException($"Access to the path '/store/{key}' is denied.")
                : Task.CompletedTask,
        };
        var held = await Manager(hooked, lifetime).AcquireSharedAsync(CancellationToken.None);
        await Task.Delay(Timeout.InfiniteTimeSpan, held.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(held.IsLost);
        var ex = Assert.Throws<LockLostException>(() => held.EnsureHeld("finish snapshot x"));
        Assert.StartsWith("cannot finish snapshot x: lost the store lock (not refreshed for 3s; last error: Access to the path '/store/locks/", ex.Message);
        // At least two refreshes were tried (every lifetime/3) although the first one threw: the refresher kept going.
        Assert.True(hooked.Calls("put") >= 3, $"{hooked.Calls("put")} puts");
        await held.DisposeAsync();
        Assert.Contains(_log, l => l.StartsWith("cannot release shared lock", StringComparison.Ordinal));
    }
}
