using System.Diagnostics;
using System.Security.Cryptography;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// <c>--limit-upload</c>/<c>--limit-download</c> and <c>limit_upload</c>/<c>limit_download</c>, timed against the
/// rate through the real CLI: incompressible data, so the bytes moved are the file's size plus a little.
/// </summary>
public abstract class BandwidthLimitTests : StoreScenarioTests
{
    private const int FourMiB = 4 << 20;

    [SkippableFact]
    public async Task A_1024_KiB_per_second_limit_makes_a_4_MiB_create_and_restore_take_about_4_seconds()
    {
        using var box = await BoxAsync();
        var slow = Source(box, "slow", FourMiB);
        var fast = Source(box, "fast", FourMiB);

        var limitedCreate = await TimedAsync(box, "snapshot", "create", slow, "--name", "slow", "--limit-upload", "1024");
        var freeCreate = await TimedAsync(box, "snapshot", "create", fast, "--name", "fast");
        Assert.True(limitedCreate >= TimeSpan.FromSeconds(3.5), $"limited create took {limitedCreate}");
        Assert.True(freeCreate + TimeSpan.FromSeconds(1.5) < limitedCreate, $"unlimited create {freeCreate}, limited {limitedCreate}");

        var limitedRestore = await TimedAsync(box, "restore", "latest", box.Dir.Combine("r-slow"), "--name", "slow", "--identity", box.IdentityPath, "--limit-download", "1024");
        var freeRestore = await TimedAsync(box, "restore", "latest", box.Dir.Combine("r-fast"), "--name", "fast", "--identity", box.IdentityPath);
        Assert.True(limitedRestore >= TimeSpan.FromSeconds(3.5), $"limited restore took {limitedRestore}");
        Assert.True(freeRestore + TimeSpan.FromSeconds(1.5) < limitedRestore, $"unlimited restore {freeRestore}, limited {limitedRestore}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(slow, "data.bin")), File.ReadAllBytes(Sandbox.Restored(box.Dir.Combine("r-slow"), Path.Combine(slow, "data.bin"))));
    }

    [SkippableFact]
    public async Task The_config_key_limits_and_the_flag_0_lifts_it()
    {
        using var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nlimit_upload: 1024\nlimit_download: 0\n");
        // 4 MiB, so the limited run's floor (3.5 s) stays well above a lifted run's start-up on a loaded machine.
        var limited = await TimedAsync(box, "snapshot", "create", Source(box, "a", FourMiB), "--name", "a");
        var lifted = await TimedAsync(box, "snapshot", "create", Source(box, "b", FourMiB), "--name", "b", "--limit-upload", "0");
        Assert.True(limited >= TimeSpan.FromSeconds(3.5), $"create under limit_upload: 1024 took {limited}");
        Assert.True(lifted + TimeSpan.FromSeconds(1.5) < limited, $"--limit-upload 0 took {lifted}, the limited one {limited}");
    }

    [SkippableTheory]
    [InlineData("limit_upload: -1\n", "limit_upload")]
    [InlineData("limit_download: fast\n", "limit_download")]
    [InlineData("limit_download: 1.5\n", "limit_download")]
    public async Task A_bad_config_limit_is_named_and_exits_2(string extra, string key)
    {
        using var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\n" + extra);
        var result = await box.RunOkAsync(2, "snapshot", "create", Source(box, "a", 1024));
        Assert.Contains(key, result.StdErr);
        Assert.Single(result.StdErr.Trim().Split('\n'));
    }

    [SkippableTheory]
    [InlineData("--limit-upload", "-1")]
    [InlineData("--limit-download", "abc")]
    [InlineData("--limit-download", "2.5")]
    public async Task A_bad_limit_flag_exits_2_on_every_verb(string flag, string value)
    {
        using var box = await BoxAsync();
        foreach (string[] verb in new[] { new[] { "snapshot", "list" }, ["restore", "latest", box.Dir.Combine("r")], ["store", "info"] })
        {
            var result = await box.RunOkAsync(2, [.. verb, flag, value]);
            Assert.Contains($"cannot use {flag} '{value}'", result.StdErr);
        }
    }

    private static string Source(Sandbox box, string name, int bytes)
    {
        var dir = Path.Combine(box.Source, name);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "data.bin"), RandomNumberGenerator.GetBytes(bytes));
        return dir;
    }

    private static async Task<TimeSpan> TimedAsync(Sandbox box, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        await box.RunOkAsync(0, args);
        return clock.Elapsed;
    }
}

public sealed class LocalBandwidthLimitTests : BandwidthLimitTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}

public sealed class S3BandwidthLimitTests : BandwidthLimitTests
{
    protected override TestStore Store { get; } = new TestStore.S3();
}
