using System.Text.RegularExpressions;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests;

/// <summary>
/// A multipart part that fails is sent again on its own, against the real RGW behind a proxy that answers one
/// UploadPart request 503 SlowDown once and counts every request: the other parts go once, the upload is not restarted.
/// </summary>
public sealed class S3MultipartRetryTests : IAsyncLifetime
{
    private readonly string _bucket = $"vaultik-mp-{Guid.NewGuid():N}"[..30];
    private FaultyS3Proxy? _proxy;

    public async Task InitializeAsync()
    {
        if (S3Fixture.Endpoint is not null)
        {
            await S3Fixture.CreateBucketAsync(_bucket);
            _proxy = new FaultyS3Proxy(S3Fixture.Endpoint, rate: 0, stall: TimeSpan.FromSeconds(4), seed: 3);
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

    [SkippableFact]
    public async Task One_failed_part_is_resent_alone_and_the_upload_completes()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        using var box = await Sandbox.CreateAsync($"s3://{_bucket}/{Guid.NewGuid():N}", _proxy!.Endpoint);
        var config = File.ReadAllText(box.ConfigPath);
        Assert.Contains("\ns3:\n", config);
        // A blob above the 8 MiB threshold: parts of 5 MiB.
        File.WriteAllText(box.ConfigPath, config.Replace("\ns3:\n", "\ns3:\n  multipart_threshold: 8MiB\n  part_size: 5MiB\n", StringComparison.Ordinal)
            + "\nblob_size_limit: 64MiB\ncompression_level: 1\n");
        TestTree.WriteLargeFile(Path.Combine(box.Source, "big.bin"), 12L << 20, seed: 41);

        _proxy.SlowDownOnce = line => line.StartsWith("PUT ", StringComparison.Ordinal) && line.Contains("partNumber=2&", StringComparison.Ordinal);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.Null(_proxy.SlowDownOnce); // the fault happened

        var lines = _proxy.RequestLines;
        var uploads = lines.Where(l => l.StartsWith("POST ", StringComparison.Ordinal) && l.Contains("?uploads", StringComparison.Ordinal)).ToList();
        var initiated = Assert.Single(uploads); // multipart happened, once: the upload was never restarted
        var key = Regex.Match(initiated, @"^POST (\S+)\?uploads").Groups[1].Value;
        int Parts(int n) => lines.Count(l => l.StartsWith($"PUT {key}?", StringComparison.Ordinal) && Regex.IsMatch(l, $@"[?&]partNumber={n}(&| )"));
        // Part 2 twice (the failed one and its re-send), every other part once: nothing was restarted.
        Assert.Equal(1, Parts(1));
        Assert.Equal(2, Parts(2));
        Assert.All(Enumerable.Range(3, 20), n => Assert.InRange(Parts(n), 0, 1));
        Assert.DoesNotContain(lines, l => l.StartsWith($"DELETE {key}?uploadId=", StringComparison.Ordinal)); // no abort
        Assert.Single(lines, l => l.StartsWith($"POST {key}?uploadId=", StringComparison.Ordinal)); // one complete

        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
    }
}
