using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>Storage faults injected under the retry layer (VAULTIK_FAULT_RATE), on the local store.</summary>
public sealed class StorageFaultTests
{
    [Fact]
    public async Task Create_restore_and_verify_complete_correctly_at_a_10_percent_fault_rate()
    {
        using var box = await Sandbox.CreateAsync();
        TestTree.Build(box.Source, largeFileBytes: 8 << 20, smallFiles: 40);
        box.Cli.Environment["VAULTIK_FAULT_RATE"] = "0.1";
        box.Cli.Environment["VAULTIK_FAULT_SEED"] = "21";
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
    }

    [Fact]
    public async Task At_a_100_percent_fault_rate_create_fails_with_one_clear_line_and_leaves_the_store_consistent()
    {
        using var box = await Sandbox.CreateAsync();
        TestTree.Build(box.Source, largeFileBytes: 2 << 20, smallFiles: 10);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        box.Cli.Environment["VAULTIK_FAULT_RATE"] = "1";
        var failed = await box.RunOkAsync(1, "snapshot", "create", box.Source);
        Assert.Contains("gave up after", failed.StdErr);
        Assert.Single(failed.StdErr.Trim().Split('\n'));
        box.Cli.Environment["VAULTIK_FAULT_RATE"] = null;

        // The store still holds the first snapshot, whole: the verify checks it, not an empty store.
        var verify = JsonDocument.Parse((await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Equal(1, verify.GetProperty("snapshots_checked").GetInt32());
        Assert.True(verify.GetProperty("blobs_deep_checked").GetInt32() >= 2, verify.ToString());
        Assert.True(verify.GetProperty("chunks_checked").GetInt64() > 0, verify.ToString());
        var target = box.Dir.Combine("r1");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var again = JsonDocument.Parse((await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Equal(2, again.GetProperty("snapshots_checked").GetInt32());
    }
}
