using System.Diagnostics;
using System.Security.Cryptography;
using Vaultik.Core.Storage;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Storage;

public sealed class TokenBucketTests
{
    private const long Rate = 1 << 20;

    [Fact]
    public void A_full_bucket_lets_its_burst_through_then_charges_the_debt_at_the_rate()
    {
        long now = 0;
        var bucket = new TokenBucket(Rate, () => now);
        Assert.Equal(Rate / 4, bucket.Capacity);
        Assert.Equal(TimeSpan.Zero, bucket.Take(Rate / 4));
        Assert.Equal(0.5, bucket.Take(Rate / 2).TotalSeconds, 3);
        // A second caller queues behind the first one's debt.
        Assert.Equal(1.5, bucket.Take(Rate).TotalSeconds, 3);
    }

    [Fact]
    public async Task Content_read_again_after_a_rewind_is_charged_once()
    {
        // The Content-MD5 pass of a write under Object Lock reads the content, rewinds and reads it again to
        // send it: only the sending may count, or such uploads would run at half the limit.
        long now = 0;
        var rate = 16L << 20;
        var bucket = new TokenBucket(rate, () => now);
        var content = new MemoryStream(new byte[1 << 20]);
        await using (var paced = new ThrottledReadStream(content, bucket, leaveOpen: true))
        {
            await paced.CopyToAsync(Stream.Null);
            paced.Position = 0;
            await paced.CopyToAsync(Stream.Null);
            paced.Position = 512 << 10;
            paced.ReadExactly(new byte[512 << 10]);
        }

        // 1 MiB charged of a 4 MiB burst: taking 4 MiB more leaves a debt of 1 MiB, 1/16 s at 16 MiB/s (read
        // twice it would be 2 MiB, 1/8 s).
        Assert.Equal(1.0 / 16, bucket.Take(4L << 20).TotalSeconds, 4);
    }

    [Fact]
    public void It_refills_at_the_rate_and_never_beyond_its_capacity()
    {
        long now = 0;
        var bucket = new TokenBucket(Rate, () => now);
        bucket.Take(Rate / 4);
        now += Stopwatch.Frequency / 8;
        Assert.Equal(TimeSpan.Zero, bucket.Take(Rate / 8));
        Assert.True(bucket.Take(1) > TimeSpan.Zero);
        now += Stopwatch.Frequency * 60;
        Assert.Equal(TimeSpan.Zero, bucket.Take(Rate / 4));
        Assert.Equal(0.25, bucket.Take(Rate / 4).TotalSeconds, 3);
    }

    [Fact]
    public void A_small_rate_still_has_a_64_KiB_burst_and_a_bad_rate_is_refused()
    {
        Assert.Equal(64 << 10, new TokenBucket(1024).Capacity);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(Rate).Take(-1));
    }

    [Fact]
    public async Task Concurrent_puts_and_gets_through_a_throttled_store_share_the_rate()
    {
        var upload = new TokenBucket(Rate);
        var download = new TokenBucket(Rate);
        var store = new ThrottledObjectStore(new MemoryObjectStore(), upload, download);
        var data = Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes((int)(Rate / 2))).ToArray();

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(data.Select((d, i) => store.PutAsync($"k/{i}", new MemoryStream(d))));
        var put = clock.Elapsed;
        // 1.5 MiB at 1 MiB/s with a 256 KiB burst: 1.25 s for the three together.
        Assert.True(put >= TimeSpan.FromSeconds(1.1), $"three puts took {put}");

        clock.Restart();
        var read = await Task.WhenAll(data.Select(async (_, i) =>
        {
            await using var stream = await store.GetAsync($"k/{i}");
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.1), $"three gets took {clock.Elapsed}");
        Assert.Equal(data, read);
    }

    [Fact]
    public async Task Without_buckets_the_store_is_not_paced()
    {
        var store = new ThrottledObjectStore(new MemoryObjectStore(), null, null);
        var clock = Stopwatch.StartNew();
        await store.PutAsync("k", new MemoryStream(RandomNumberGenerator.GetBytes(8 << 20)));
        await using var stream = await store.GetAsync("k");
        await stream.CopyToAsync(Stream.Null);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }
}
