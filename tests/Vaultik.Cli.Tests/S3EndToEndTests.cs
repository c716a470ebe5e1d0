using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests;

/// <summary>The real CLI against real S3 (Ceph RADOS Gateway in CI): every verb works as on the local store.</summary>
public sealed class S3EndToEndTests : IAsyncLifetime
{
    private readonly string _bucket = S3Fixture.NewBucketName();

    public async Task InitializeAsync()
    {
        if (S3Fixture.Endpoint is not null)
        {
            await S3Fixture.CreateBucketAsync(_bucket);
        }
    }

    public async Task DisposeAsync()
    {
        if (S3Fixture.Endpoint is not null)
        {
            await S3Fixture.DeleteBucketAsync(_bucket);
        }
    }

    private Task<Sandbox> S3SandboxAsync() => Sandbox.CreateAsync($"s3://{_bucket}/backups", S3Fixture.Endpoint);

    [SkippableFact]
    public async Task Create_list_info_and_restore_round_trip_byte_exact()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        using var box = await S3SandboxAsync();
        TestTree.Build(box.Source, largeFileBytes: 20L << 20, smallFiles: 100);
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", "s3tree");

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal("s3tree", list[0].GetProperty("name").GetString());
        var info = JsonDocument.Parse((await box.RunOkAsync(0, "store", "info", "--json")).StdOut).RootElement;
        Assert.Equal(1, info.GetProperty("snapshot_count").GetInt64());
        Assert.True(info.GetProperty("blob_count").GetInt64() >= 1);
        Assert.StartsWith($"s3://{_bucket}/backups", info.GetProperty("storage_url").GetString());
        Assert.DoesNotContain(S3Fixture.SecretKey, info.GetProperty("storage_url").GetString());

        var target = box.Dir.Combine("restore");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        var differences = TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source));
        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }

    [SkippableFact]
    public async Task A_wrong_secret_key_gives_one_clear_line_and_exit_1()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        using var box = await S3SandboxAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        box.Cli.Environment["AWS_SECRET_ACCESS_KEY"] = "definitely-not-the-secret-0000000000000000";
        var result = await box.RunOkAsync(1, "snapshot", "create", box.Source);
        Assert.Contains("access denied", result.StdErr);
        Assert.DoesNotContain("definitely-not-the-secret", result.StdErr);
        Assert.Single(result.StdErr.Trim().Split('\n'));
    }

    [SkippableFact]
    public async Task Snapshots_complete_and_restore_exactly_through_a_10_percent_fault_rate()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        using var box = await S3SandboxAsync();
        TestTree.Build(box.Source, largeFileBytes: 12L << 20, smallFiles: 60);
        box.Cli.Environment["VAULTIK_FAULT_RATE"] = "0.1";
        box.Cli.Environment["VAULTIK_FAULT_SEED"] = "5";
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var target = box.Dir.Combine("restore");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
    }
}
