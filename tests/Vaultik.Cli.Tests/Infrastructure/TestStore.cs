using Vaultik.Core.Storage;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// Where a scenario's store lives — a local directory or a fresh S3 bucket — with direct access to its
/// objects (through the same <see cref="IObjectStore"/> Vaultik uses) so tests can damage or inspect them.
/// </summary>
public abstract class TestStore : IAsyncDisposable
{
    /// <summary>Non-null when this kind of store is unavailable here.</summary>
    public virtual string? SkipReason => null;

    public abstract Task<Sandbox> CreateSandboxAsync();

    public abstract IObjectStore Open(Sandbox box);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A sandbox whose downloads <see cref="RunMeteredAsync"/> can count outside vaultik.</summary>
    public virtual Task<Sandbox> CreateMeteredSandboxAsync() => CreateSandboxAsync();

    /// <summary>
    /// Runs vaultik in <paramref name="box"/> and returns, with its result, how many bytes it took from the store,
    /// counted outside vaultik (never its own counters): here every byte the process read through read/pread
    /// (rchar), which for a local directory store bounds what it read from the store.
    /// </summary>
    public virtual Task<(CliResult Result, long Bytes)> RunMeteredAsync(Sandbox box, params string[] args) => box.Cli.RunCountingReadsAsync(args);

    public async Task<List<ObjectInfo>> ListAsync(Sandbox box, string prefix)
    {
        var list = new List<ObjectInfo>();
        await foreach (var info in Open(box).ListAsync(prefix))
        {
            list.Add(info);
        }

        return list;
    }

    /// <summary>An object's bytes, read straight from the store (small objects only: tests read manifests and metadata).</summary>
    public async Task<byte[]> ReadAsync(Sandbox box, string key)
    {
        await using var stream = await Open(box).GetAsync(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public async Task FlipByteAsync(Sandbox box, string key, long offset)
    {
        var bytes = await ReadAsync(box, key);
        bytes[offset] ^= 0x01;
        await ReplaceAsync(box, key, bytes);
    }

    /// <summary>Replaces an object as someone with delete rights would (Vaultik itself never writes a key twice).</summary>
    public async Task ReplaceAsync(Sandbox box, string key, byte[] bytes)
    {
        var store = Open(box);
        await store.DeleteAsync(key);
        await store.PutAsync(key, new MemoryStream(bytes));
    }

    public sealed class Local : TestStore
    {
        public override Task<Sandbox> CreateSandboxAsync() => Sandbox.CreateAsync();

        public override IObjectStore Open(Sandbox box) => new LocalDirectoryStore(box.StorePath);
    }

    public sealed class S3 : TestStore
    {
        private readonly string _bucket = S3Fixture.NewBucketName();
        private bool _created;
        private FaultyS3Proxy? _meter;

        public override string? SkipReason => S3Fixture.SkipReason;

        public override async Task<Sandbox> CreateSandboxAsync()
        {
            if (!_created)
            {
                await S3Fixture.CreateBucketAsync(_bucket);
                _created = true;
            }

            return await Sandbox.CreateAsync($"s3://{_bucket}/{Guid.NewGuid():N}", S3Fixture.Endpoint);
        }

        /// <summary>A sandbox that reaches RGW through a loopback proxy failing nothing, which counts every response byte.</summary>
        public override async Task<Sandbox> CreateMeteredSandboxAsync()
        {
            if (!_created)
            {
                await S3Fixture.CreateBucketAsync(_bucket);
                _created = true;
            }

            _meter ??= new FaultyS3Proxy(S3Fixture.Endpoint!, rate: 0, stall: TimeSpan.FromSeconds(1), seed: 1);
            return await Sandbox.CreateAsync($"s3://{_bucket}/{Guid.NewGuid():N}", _meter.Endpoint);
        }

        /// <summary>The response bytes (heads and bodies) the proxy carried to vaultik during the run.</summary>
        public override async Task<(CliResult Result, long Bytes)> RunMeteredAsync(Sandbox box, params string[] args)
        {
            var meter = _meter ?? throw new InvalidOperationException("RunMeteredAsync needs a sandbox from CreateMeteredSandboxAsync");
            var before = meter.BytesToClient;
            var result = await box.RunAsync(args);
            return (result, meter.BytesToClient - before);
        }

        public override IObjectStore Open(Sandbox box) =>
            new S3ObjectStore(S3Fixture.Options(_bucket, box.StorageUrl[$"s3://{_bucket}/".Length..]));

        public override async ValueTask DisposeAsync()
        {
            if (_meter is not null)
            {
                await _meter.DisposeAsync();
            }

            if (_created)
            {
                await S3Fixture.DeleteBucketAsync(_bucket);
            }
        }
    }
}
