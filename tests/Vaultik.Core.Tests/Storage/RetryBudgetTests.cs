using Vaultik.Core.Storage;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Storage;

/// <summary>The total-time budget of retries, on a manual clock: an attempt's own time never uses up the first retry.</summary>
public sealed class RetryBudgetTests
{
    private static readonly RetryPolicy TwoMinutes = new(10, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(2));

    [Fact]
    public async Task An_upload_that_failed_after_longer_than_the_budget_is_retried_once_and_succeeds()
    {
        var clock = new ManualClock();
        var inner = new MemoryObjectStore();
        var hooked = new HookedObjectStore(inner)
        {
            Before = (op, _, n) =>
            {
                if (op == "put" && n == 1)
                {
                    clock.Advance(TimeSpan.FromMinutes(3));
                    throw new IOException("connection reset by peer");
                }

                return Task.CompletedTask;
            },
        };
        var store = new RetryingObjectStore(hooked, TwoMinutes, clock);
        await store.PutAsync("blobs/big", new MemoryStream([1, 2, 3]));
        Assert.Equal(2, hooked.Calls("put"));
        Assert.Equal(1, store.Retries);
        Assert.Contains("blobs/big", inner.Keys);
    }

    [Fact]
    public async Task Slow_attempts_that_keep_failing_give_up_once_the_budget_after_the_first_failure_is_spent()
    {
        var clock = new ManualClock();
        var hooked = new HookedObjectStore(new MemoryObjectStore())
        {
            Before = (_, _, _) =>
            {
                clock.Advance(TimeSpan.FromMinutes(1.5));
                throw new IOException("connection reset by peer");
            },
        };
        var store = new RetryingObjectStore(hooked, TwoMinutes, clock);
        var ex = await Assert.ThrowsAsync<StorageException>(() => store.PutAsync("blobs/big", new MemoryStream([1])));
        // Attempt 1 (1.5 min) is not counted; retries 2 and 3 spend 3 min of the 2-minute budget: no fourth attempt.
        Assert.Equal(3, hooked.Calls("put"));
        Assert.Equal("cannot write blobs/big: IOException: connection reset by peer (gave up after 3 attempts)", ex.Message);
    }

    [Fact]
    public async Task Fast_failures_still_stop_at_the_attempt_limit()
    {
        var clock = new ManualClock();
        var hooked = new HookedObjectStore(new MemoryObjectStore()) { Before = (_, _, _) => throw new IOException("reset") };
        var store = new RetryingObjectStore(hooked, TwoMinutes with { MaxAttempts = 4 }, clock);
        await Assert.ThrowsAsync<StorageException>(() => store.StatAsync("blobs/x"));
        Assert.Equal(4, hooked.Calls("stat"));
    }
}
