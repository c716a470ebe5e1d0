using System.Security.Cryptography;
using Vaultik.Core.Storage;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Storage;

public sealed class RetryingObjectStoreTests
{
    private static readonly RetryPolicy Fast = new(10, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Operations_succeed_through_a_30_percent_fault_rate()
    {
        var inner = new MemoryObjectStore();
        var faults = new FaultInjectingObjectStore(inner, new FaultOptions(0.3, Seed: 11));
        var store = new RetryingObjectStore(faults, Fast);
        for (var i = 0; i < 200; i++)
        {
            var data = RandomNumberGenerator.GetBytes(1000 + i);
            await store.PutAsync($"k/{i}", new MemoryStream(data));
            await using var read = await store.GetAsync($"k/{i}");
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(data, copy.ToArray());
        }

        Assert.True(faults.Injected > 50, $"only {faults.Injected} faults injected");
        Assert.True(store.Retries > 0);
    }

    [Fact]
    public async Task At_a_100_percent_fault_rate_it_gives_up_with_a_clear_message()
    {
        var store = new RetryingObjectStore(new FaultInjectingObjectStore(new MemoryObjectStore(), new FaultOptions(1.0, Seed: 1)), Fast);
        var ex = await Assert.ThrowsAsync<StorageException>(() => store.PutAsync("blobs/x", new MemoryStream([1])));
        Assert.StartsWith("cannot write blobs/x:", ex.Message);
        Assert.Contains("after 10 attempts", ex.Message);
    }

    [Fact]
    public async Task A_read_cut_short_is_resumed_from_where_it_stopped()
    {
        var inner = new MemoryObjectStore();
        var data = RandomNumberGenerator.GetBytes(1 << 20);
        await inner.PutAsync("big", new MemoryStream(data));
        var faults = new FaultInjectingObjectStore(inner, new FaultOptions(0.5, Seed: 3, Kinds: FaultKinds.TruncatedRead));
        var store = new RetryingObjectStore(faults, Fast);
        await using var read = await store.GetAsync("big", new ByteRange(1000, 900_000));
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(data.AsSpan(1000, 900_000).ToArray(), copy.ToArray());
        Assert.True(faults.Injected > 0);
    }

    [Fact]
    public async Task A_create_only_put_whose_first_attempt_landed_but_failed_is_recognised_as_ours()
    {
        var inner = new MemoryObjectStore();
        var store = new RetryingObjectStore(new FaultInjectingObjectStore(inner, new FaultOptions(1.0, Seed: 2, Kinds: FaultKinds.FailAfterWrite)), Fast);
        await store.PutAsync("manifest", new MemoryStream([1, 2, 3]));
        Assert.Equal(3, (await inner.StatAsync("manifest")).Size);
        Assert.Equal(1, store.Retries);

        var once = new RetryingObjectStore(new FaultInjectingObjectStore(inner, new FaultOptions(0.5, Seed: 4, Kinds: FaultKinds.FailAfterWrite)), Fast);
        await once.PutAsync("other", new MemoryStream([7]));
        await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => once.PutAsync("manifest", new MemoryStream([9, 9, 9])));
    }

    [Fact]
    public async Task A_put_refused_at_once_because_our_own_bytes_are_there_succeeds_and_other_bytes_still_refuse()
    {
        // What the HTTP stack does when a PUT's response is lost on a reused connection: it sends the PUT again,
        // and the server answers 412 (or the existence check finds the object) on the very first attempt.
        var inner = new MemoryObjectStore();
        await inner.PutAsync("blobs/x", new MemoryStream([4, 5, 6]));
        var store = new RetryingObjectStore(inner, Fast);

        await store.PutAsync("blobs/x", new MemoryStream([4, 5, 6]));
        Assert.Equal(0, store.Retries);
        await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => store.PutAsync("blobs/x", new MemoryStream([4, 5, 7])));
        await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => store.PutAsync("blobs/x", new MemoryStream([4, 5])));

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, [4, 5, 6]);
            await store.PutFileAsync("blobs/x", file);
            await File.WriteAllBytesAsync(file, [1]);
            await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => store.PutFileAsync("blobs/x", file));
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal(new byte[] { 4, 5, 6 }, ((MemoryStream)await inner.GetAsync("blobs/x")).ToArray());
    }

    [Fact]
    public async Task Permanent_errors_are_not_retried()
    {
        var store = new RetryingObjectStore(new MemoryObjectStore(), Fast);
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.StatAsync("missing"));
        Assert.Equal(0, store.Retries);
    }
}
