using System.Security.Cryptography;
using System.Text;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Tests.Storage;

/// <summary>
/// One behavioural contract for every <see cref="IObjectStore"/>: the memory store, the local directory store
/// and S3 (against a real Ceph RADOS Gateway in CI) each run all of it.
/// </summary>
public abstract class ObjectStoreConformanceTests
{
    /// <summary>The store under test, empty at the start of each test.</summary>
    protected abstract IObjectStore Store { get; }

    /// <summary>Non-null when the backend is unavailable here (the test is then reported as skipped with this reason).</summary>
    protected virtual string? SkipReason => null;

    private IObjectStore S
    {
        get
        {
            Skip.If(SkipReason is not null, SkipReason);
            return Store;
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
    }

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// For a store with multipart uploads, how many parts <paramref name="key"/> was stored in, read from the
    /// server independently of the store under test; null for stores that have no such thing.
    /// </summary>
    protected virtual Task<int?> StoredPartsAsync(string key) => Task.FromResult<int?>(null);

    [SkippableFact]
    public async Task Put_get_stat_round_trip()
    {
        var s = S;
        await s.PutAsync("a/b/object", Bytes("hello world"));
        Assert.Equal("hello world", Encoding.UTF8.GetString(await ReadAllAsync(await s.GetAsync("a/b/object"))));
        var info = await s.StatAsync("a/b/object");
        Assert.Equal(11, info.Size);
        Assert.Equal("a/b/object", info.Key);
        Assert.True(info.LastModified > DateTimeOffset.UtcNow.AddHours(-1));
    }

    [SkippableFact]
    public async Task Ranged_reads_return_exactly_the_range()
    {
        var s = S;
        var data = RandomNumberGenerator.GetBytes(300_000);
        await s.PutAsync("range", new MemoryStream(data));
        Assert.Equal(data.AsSpan(100, 100).ToArray(), await ReadAllAsync(await s.GetAsync("range", new ByteRange(100, 100))));
        Assert.Equal(data.AsSpan(299_990).ToArray(), await ReadAllAsync(await s.GetAsync("range", new ByteRange(299_990, 10))));
        Assert.Empty(await ReadAllAsync(await s.GetAsync("range", new ByteRange(5, 0))));
        Assert.Equal(data.AsSpan(299_000).ToArray(), await ReadAllAsync(await s.GetAsync("range", new ByteRange(299_000, 5000))));
    }

    [SkippableFact]
    public async Task Missing_objects_raise_not_found()
    {
        var s = S;
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => s.GetAsync("nope"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => s.StatAsync("nope/deeper"));
        await s.DeleteAsync("nope");
    }

    [SkippableFact]
    public async Task Every_write_is_create_only_and_never_replaces_an_object()
    {
        var s = S;
        await s.PutAsync("lock", Bytes("one"));
        await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => s.PutAsync("lock", Bytes("two")));
        Assert.Equal("one", Encoding.UTF8.GetString(await ReadAllAsync(await s.GetAsync("lock"))));

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "three");
            await Assert.ThrowsAsync<ObjectAlreadyExistsException>(() => s.PutFileAsync("lock", file));
            await s.PutFileAsync("file", file);
            Assert.Equal("three", Encoding.UTF8.GetString(await ReadAllAsync(await s.GetAsync("file"))));
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal("one", Encoding.UTF8.GetString(await ReadAllAsync(await s.GetAsync("lock"))));
        var versions = new List<ObjectVersion>();
        await foreach (var v in s.ListVersionsAsync("lock"))
        {
            versions.Add(v);
        }

        Assert.Single(versions);
        Assert.Equal(3, versions[0].Size);
    }

    [SkippableFact]
    public async Task Empty_objects_are_stored()
    {
        var s = S;
        await s.PutAsync("empty", new MemoryStream());
        Assert.Equal(0, (await s.StatAsync("empty")).Size);
        Assert.Empty(await ReadAllAsync(await s.GetAsync("empty")));
    }

    [SkippableFact]
    public async Task Listing_filters_by_prefix_sorts_and_pages_past_1000_keys()
    {
        var s = S;
        var keys = Enumerable.Range(0, 1100).Select(i => $"many/k{i:D5}").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (k, ct) => await s.PutAsync(k, Bytes(k), cancellationToken: ct));
        await s.PutAsync("other/x", Bytes("x"));
        var listed = new List<ObjectInfo>();
        await foreach (var info in s.ListAsync("many/"))
        {
            listed.Add(info);
        }

        Assert.Equal(keys, listed.Select(i => i.Key));
        Assert.All(listed, i => Assert.Equal(11, i.Size));
        var partial = new List<string>();
        await foreach (var info in s.ListAsync("many/k0105"))
        {
            partial.Add(info.Key);
        }

        Assert.Equal(10, partial.Count);
    }

    [SkippableFact]
    public async Task Delete_removes_and_is_idempotent()
    {
        var s = S;
        await s.PutAsync("gone/soon", Bytes("x"));
        await s.DeleteAsync("gone/soon");
        await s.DeleteAsync("gone/soon");
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => s.StatAsync("gone/soon"));
        await foreach (var _ in s.ListAsync("gone/"))
        {
            Assert.Fail("a deleted object is still listed");
        }
    }

    [SkippableFact]
    public async Task Large_objects_round_trip_including_multipart()
    {
        var s = S;
        var data = RandomNumberGenerator.GetBytes(40 << 20);
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, data);
            await using (var stream = File.OpenRead(file))
            {
                await s.PutAsync("big", stream);
            }

            await s.PutAsync("big-from-memory", new MemoryStream(data));
            Assert.Equal(data.Length, (await s.StatAsync("big")).Size);
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(await ReadAllAsync(await s.GetAsync("big"))));
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(await ReadAllAsync(await s.GetAsync("big-from-memory"))));
            Assert.Equal(data.AsSpan(20 << 20, 1000).ToArray(), await ReadAllAsync(await s.GetAsync("big", new ByteRange(20 << 20, 1000))));

            // Where multipart exists, both uploads really were multipart: 40 MiB in 5 MiB parts (the test options) is 8.
            foreach (var key in new[] { "big", "big-from-memory" })
            {
                if (await StoredPartsAsync(key) is { } parts)
                {
                    Assert.True(parts == 8, $"{key} was stored in {parts} part(s), not 8: no multipart upload happened");
                }
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task Concurrent_puts_all_land()
    {
        var s = S;
        await Parallel.ForEachAsync(Enumerable.Range(0, 64), async (i, ct) => await s.PutAsync($"par/{i:D3}", new MemoryStream(new byte[i * 100]), cancellationToken: ct));
        var count = 0;
        await foreach (var info in s.ListAsync("par/"))
        {
            Assert.Equal(int.Parse(info.Key[4..], System.Globalization.CultureInfo.InvariantCulture) * 100, info.Size);
            count++;
        }

        Assert.Equal(64, count);
    }

    [SkippableTheory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("")]
    public async Task Malformed_keys_are_rejected(string key)
    {
        var s = S;
        await Assert.ThrowsAsync<ArgumentException>(() => s.PutAsync(key, Bytes("x")));
    }
}
