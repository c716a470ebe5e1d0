using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Real S3 through a loopback proxy that fails a share of the HTTP requests (503 SlowDown, connection
/// resets, stalls past s3.timeout, responses cut short): the real SDK, the real retry layer, real sockets.
/// </summary>
public sealed class S3FaultTests : IAsyncLifetime
{
    private readonly string _bucket = S3Fixture.NewBucketName();
    private FaultyS3Proxy? _proxy;

    public async Task InitializeAsync()
    {
        if (S3Fixture.Endpoint is not null)
        {
            await S3Fixture.CreateBucketAsync(_bucket);
            _proxy = new FaultyS3Proxy(S3Fixture.Endpoint, rate: 0, stall: TimeSpan.FromSeconds(4), seed: 7);
        }
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            await S3Fixture.DeleteBucketAsync(_bucket);
        }
    }

    private async Task<Sandbox> BoxAsync()
    {
        var box = await Sandbox.CreateAsync($"s3://{_bucket}/{Guid.NewGuid():N}", _proxy!.Endpoint);
        var config = File.ReadAllText(box.ConfigPath);
        Assert.Contains("\ns3:\n", config);
        File.WriteAllText(box.ConfigPath, config.Replace("\ns3:\n", "\ns3:\n  timeout: 2s\n", StringComparison.Ordinal)
            + "\nchunk_min_size: 16KiB\nchunk_avg_size: 64KiB\nchunk_max_size: 256KiB\nblob_size_limit: 1MiB\n");
        return box;
    }

    [SkippableFact]
    public async Task Create_verify_and_restore_complete_exactly_at_a_10_percent_request_fault_rate()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        using var box = await BoxAsync();
        TestTree.Build(box.Source, largeFileBytes: 6 << 20, smallFiles: 40);
        _proxy!.Rate = 0.1;

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
        Assert.True(_proxy.Faults >= 3, $"only {_proxy.Faults} of {_proxy.Requests} requests were failed");
    }

    [SkippableFact]
    public async Task At_a_100_percent_request_fault_rate_create_gives_up_with_one_line_and_the_store_stays_consistent()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        using var box = await BoxAsync();
        TestTree.Build(box.Source, largeFileBytes: 2 << 20, smallFiles: 10);
        _proxy!.Rate = 0;
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        _proxy.Rate = 1;

        var failed = await box.RunOkAsync(1, "snapshot", "create", box.Source);
        Assert.Contains("gave up after", failed.StdErr);
        Assert.Single(failed.StdErr.Trim().Split('\n'));

        // The store still holds the first snapshot, whole: the verify checks it, not an empty store.
        _proxy.Rate = 0;
        var verify = System.Text.Json.JsonDocument.Parse((await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Equal(1, verify.GetProperty("snapshots_checked").GetInt32());
        Assert.True(verify.GetProperty("blobs_deep_checked").GetInt32() >= 2, verify.ToString());
        Assert.True(verify.GetProperty("chunks_checked").GetInt64() > 0, verify.ToString());
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var again = System.Text.Json.JsonDocument.Parse((await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Equal(2, again.GetProperty("snapshots_checked").GetInt32());
    }
}
