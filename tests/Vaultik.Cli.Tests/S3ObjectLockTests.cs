using System.Text.Json;
using Amazon.S3.Model;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Storage;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests;

/// <summary>
/// s3.object_lock against the real Ceph RGW: a bucket made by <c>store create-bucket</c>, objects written by
/// <c>snapshot create</c> carrying the retention, prune and purge leaving retained objects (and deleting them once
/// it lapses), <c>store extend-retention</c>, and <c>store check-bucket</c>. Governance mode throughout, so the
/// bucket owner can clean up with the bypass right; retention lapse is tested with seconds-long retentions.
/// </summary>
public sealed class S3ObjectLockTests : IAsyncLifetime
{
    private readonly List<string> _buckets = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var bucket in _buckets)
        {
            await DeleteLockedBucketAsync(bucket);
        }
    }

    /// <summary>A sandbox whose config has <c>s3.object_lock</c> with <paramref name="retention"/>, its bucket made by <c>store create-bucket</c>.</summary>
    private async Task<(Sandbox Box, string Bucket)> LockedSandboxAsync(string retention, bool createBucket = true)
    {
        var bucket = S3Fixture.NewBucketName();
        var box = await Sandbox.CreateAsync($"s3://{bucket}/backups", S3Fixture.Endpoint);
        SetObjectLock(box, retention);
        if (createBucket)
        {
            _buckets.Add(bucket);
            var created = await box.RunOkAsync(0, "store", "create-bucket");
            Assert.Contains("Object Lock", created.StdErr);
        }

        return (box, bucket);
    }

    private static void SetObjectLock(Sandbox box, string? retention)
    {
        var lines = File.ReadAllLines(box.ConfigPath).Where(l => !l.Contains("object_lock", StringComparison.Ordinal) && !l.Contains("multipart_threshold", StringComparison.Ordinal)).ToList();
        var at = lines.FindIndex(l => l.StartsWith("  endpoint:", StringComparison.Ordinal)) + 1;
        lines.Insert(at, "  multipart_threshold: 5MiB");
        if (retention is not null)
        {
            lines.Insert(at, $"  object_lock: {{mode: governance, retention: {retention}}}");
        }

        File.WriteAllLines(box.ConfigPath, lines);
    }

    private static async Task<GetObjectMetadataResponse> HeadAsync(string bucket, string key)
    {
        using var client = S3Fixture.AdminClient();
        return await client.GetObjectMetadataAsync(bucket, "backups/" + key);
    }

    private static async Task<List<string>> KeysAsync(string bucket, string prefix)
    {
        using var client = S3Fixture.AdminClient();
        var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "backups/" + prefix });
        return (page.S3Objects ?? []).Select(o => o.Key["backups/".Length..]).ToList();
    }

    /// <summary>An unreferenced blob written by the test through S3ObjectStore with its own retention.</summary>
    private static async Task<string> PutOrphanBlobAsync(string bucket, TimeSpan retention)
    {
        var bytes = Guid.NewGuid().ToByteArray();
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var key = $"blobs/{hex[..2]}/{hex[2..4]}/{hex}";
        using var store = new S3ObjectStore(S3Fixture.Options(bucket, "backups") with { ObjectLock = new ObjectLockSettings(ObjectLockMode.Governance, retention, ["locks/"]) });
        await store.PutAsync(key, new MemoryStream(bytes));
        return key;
    }

    private static async Task DeleteLockedBucketAsync(string bucket)
    {
        using var client = S3Fixture.AdminClient();
        ListVersionsResponse page;
        do
        {
            page = await client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
            foreach (var version in page.Versions ?? [])
            {
                await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = version.Key, VersionId = version.VersionId, BypassGovernanceRetention = true });
            }
        }
        while (page.Versions is { Count: > 0 });

        await client.DeleteBucketAsync(bucket);
    }

    [SkippableFact]
    public async Task Create_bucket_makes_an_object_lock_bucket_and_snapshot_objects_carry_the_retention()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        var (box, bucket) = await LockedSandboxAsync("1d");
        using var _ = box;
        var again = await box.RunOkAsync(1, "store", "create-bucket");
        Assert.Contains("already exists", again.StdErr);
        Assert.Single(again.StdErr.Trim().Split('\n'));

        var check = JsonDocument.Parse((await box.RunOkAsync(0, "store", "check-bucket", "--json")).StdOut).RootElement;
        Assert.True(check.GetProperty("exists").GetBoolean());
        Assert.Equal("Enabled", check.GetProperty("versioning").GetString());
        Assert.True(check.GetProperty("object_lock_enabled").GetBoolean());
        Assert.Equal("governance", check.GetProperty("configured_mode").GetString());
        Assert.Equal("1d", check.GetProperty("configured_retention").GetString());
        Assert.True(check.GetProperty("ok").GetBoolean());

        // A 6 MB incompressible file makes a blob above the 5 MiB multipart threshold: RGW 16 drops the retention
        // of multipart uploads, so it must go up in one PUT.
        File.WriteAllBytes(Path.Combine(box.Source, "big.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(6_000_000));
        File.WriteAllText(Path.Combine(box.Source, "small.txt"), "small");
        var before = DateTimeOffset.UtcNow;
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var after = DateTimeOffset.UtcNow;

        var keys = (await KeysAsync(bucket, "")).Where(k => !k.StartsWith("locks/", StringComparison.Ordinal)).ToList();
        Assert.Contains(keys, k => k.StartsWith("blobs/", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.EndsWith("manifest.json.zst", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.EndsWith("db.zst.age", StringComparison.Ordinal));
        foreach (var key in keys)
        {
            var head = await HeadAsync(bucket, key);
            Assert.True(head.ObjectLockMode == Amazon.S3.ObjectLockMode.Governance, $"{key}: mode {head.ObjectLockMode}");
            var until = new DateTimeOffset(head.ObjectLockRetainUntilDate!.Value.ToUniversalTime());
            Assert.InRange(until, before.AddDays(1).AddSeconds(-5), after.AddDays(1).AddSeconds(5));

            // One PUT (a multipart ETag ends in -N): the backup role has no s3:PutObjectRetention to repair a dropped retention.
            Assert.DoesNotContain('-', head.ETag);
        }
    }

    [SkippableFact]
    public async Task Purge_and_prune_leave_retained_objects_and_report_them_then_delete_them_once_retention_lapses()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        var (box, bucket) = await LockedSandboxAsync("6s");
        using var _ = box;
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "one");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "two, different");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var ids = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(2, ids.Count);
        var orphan = await PutOrphanBlobAsync(bucket, TimeSpan.FromSeconds(6));

        var dry = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "1", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Equal([ids[0]], dry.GetProperty("retained_snapshots").EnumerateArray().Select(e => e.GetString()).ToList());
        Assert.Empty(dry.GetProperty("removed").EnumerateArray());
        var text = await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "1", "--yes", "--grace-period", "0s");
        Assert.Contains($"retained {ids[0]}", text.StdOut);
        var purge = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "1", "--yes", "--grace-period", "0s", "--json")).StdOut).RootElement;
        var retainedKeys = purge.GetProperty("retained").EnumerateArray().Select(e => e.GetProperty("key").GetString()).ToList();
        Assert.Contains($"metadata/{ids[0]}/manifest.json.zst", retainedKeys);
        Assert.All(purge.GetProperty("retained").EnumerateArray(), e => Assert.True(e.GetProperty("retain_until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-10)));
        var prunePart = purge.GetProperty("prune");
        Assert.Contains(orphan, prunePart.GetProperty("retained").EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        Assert.Equal(0, prunePart.GetProperty("blobs_deleted").GetInt64());
        Assert.Equal(0, prunePart.GetProperty("bytes_freed").GetInt64());
        Assert.Equal(2, JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.GetArrayLength());

        var pruneDry = JsonDocument.Parse((await box.RunOkAsync(0, "prune", "--grace-period", "0s", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Contains(orphan, pruneDry.GetProperty("retained").EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        var pruneText = await box.RunOkAsync(0, "prune", "--grace-period", "0s", "--yes");
        Assert.Contains($"retained {orphan} until", pruneText.StdOut);
        Assert.Contains(orphan, await KeysAsync(bucket, "blobs/"));

        // Once the retention lapses, the same commands delete them.
        await Task.Delay(TimeSpan.FromSeconds(7));
        var lapsed = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "1", "--yes", "--grace-period", "0s", "--json")).StdOut).RootElement;
        Assert.Equal([ids[0]], lapsed.GetProperty("removed").EnumerateArray().Select(e => e.GetString()).ToList());
        Assert.Empty(lapsed.GetProperty("retained").EnumerateArray());
        Assert.Empty(lapsed.GetProperty("prune").GetProperty("retained").EnumerateArray());
        Assert.True(lapsed.GetProperty("prune").GetProperty("blobs_deleted").GetInt64() >= 2); // the orphan and the first snapshot's own blob
        Assert.DoesNotContain(orphan, await KeysAsync(bucket, "blobs/"));
        Assert.Equal([ids[1]], JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList());
    }

    [SkippableFact]
    public async Task Forget_keeps_a_retained_snapshot_whole_and_reports_it_then_removes_it_once_retention_lapses()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        var (box, _) = await LockedSandboxAsync("6s");
        using var __ = box;
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "one");
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--tag", "old");
        var id = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json", "--tag", "old")).StdOut).RootElement.EnumerateArray().Single().GetProperty("id").GetString()!;

        var held = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "forget", id, "--yes", "--grace-period", "0s", "--json")).StdOut).RootElement;
        Assert.Empty(held.GetProperty("removed").EnumerateArray());
        Assert.Equal([id], held.GetProperty("retained_snapshots").EnumerateArray().Select(e => e.GetString()).ToList());
        Assert.Contains($"metadata/{id}/manifest.json.zst", held.GetProperty("retained").EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        Assert.Single(JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.EnumerateArray());

        await Task.Delay(TimeSpan.FromSeconds(7));
        var gone = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "forget", id, "--yes", "--grace-period", "0s", "--json")).StdOut).RootElement;
        Assert.Equal([id], gone.GetProperty("removed").EnumerateArray().Select(e => e.GetString()).ToList());
        Assert.Empty(gone.GetProperty("retained_snapshots").EnumerateArray());
        Assert.True(gone.GetProperty("prune").GetProperty("blobs_deleted").GetInt64() >= 1);
        Assert.Empty(JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.EnumerateArray());
    }

    [SkippableFact]
    public async Task Extend_retention_moves_retain_until_forward_and_a_second_run_extends_nothing()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        var (box, bucket) = await LockedSandboxAsync("1d");
        using var _ = box;
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "one");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        File.WriteAllText(Path.Combine(box.Source, "b.txt"), "two");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var keys = (await KeysAsync(bucket, "")).Where(k => !k.StartsWith("locks/", StringComparison.Ordinal)).ToList();

        // 1d retention renews when less than 12h is left: nothing to do yet.
        var fresh = JsonDocument.Parse((await box.RunOkAsync(0, "store", "extend-retention", "--json")).StdOut).RootElement;
        Assert.Equal(keys.Count, fresh.GetProperty("objects_checked").GetInt64());
        Assert.Equal(0, fresh.GetProperty("extended").GetInt64());

        // With 4d configured every object has less than 2d left.
        SetObjectLock(box, "4d");
        var dry = JsonDocument.Parse((await box.RunOkAsync(0, "store", "extend-retention", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Equal(keys.Count, dry.GetProperty("extended").GetInt64());
        Assert.True((await HeadAsync(bucket, keys[0])).ObjectLockRetainUntilDate!.Value.ToUniversalTime() < DateTime.UtcNow.AddDays(2), "a dry run changed a retention");
        var before = DateTimeOffset.UtcNow;
        var first = JsonDocument.Parse((await box.RunOkAsync(0, "store", "extend-retention", "--json")).StdOut).RootElement;
        Assert.Equal(keys.Count, first.GetProperty("objects_checked").GetInt64());
        Assert.Equal(keys.Count, first.GetProperty("extended").GetInt64());
        foreach (var key in keys)
        {
            var until = new DateTimeOffset((await HeadAsync(bucket, key)).ObjectLockRetainUntilDate!.Value.ToUniversalTime());
            Assert.InRange(until, before.AddDays(4).AddSeconds(-5), DateTimeOffset.UtcNow.AddDays(4).AddSeconds(5));
        }

        var second = await box.RunOkAsync(0, "store", "extend-retention");
        Assert.Contains($"extended:      0 objects", second.StdOut);
        Assert.Contains($"already fine:  {keys.Count} objects", second.StdOut);
    }

    [SkippableFact]
    public async Task Check_bucket_exits_1_on_a_plain_bucket_when_object_lock_is_configured()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        var (box, bucket) = await LockedSandboxAsync("1d", createBucket: false);
        using var _ = box;
        var missing = await box.RunOkAsync(1, "store", "check-bucket");
        Assert.Contains("does not exist", missing.StdErr);

        await S3Fixture.CreateBucketAsync(bucket);
        _buckets.Add(bucket);
        var plain = await box.RunOkAsync(1, "store", "check-bucket", "--json");
        Assert.False(JsonDocument.Parse(plain.StdOut).RootElement.GetProperty("object_lock_enabled").GetBoolean());
        var error = JsonDocument.Parse(plain.StdErr).RootElement;
        Assert.Contains("does not have Object Lock enabled", error.GetProperty("error").GetString());
        Assert.Equal(1, error.GetProperty("exit_code").GetInt32());
        var plainText = await box.RunOkAsync(1, "store", "check-bucket");
        Assert.Single(plainText.StdErr.Trim().Split('\n'));
        var exists = await box.RunOkAsync(1, "store", "create-bucket");
        Assert.Contains("already exists", exists.StdErr);

        SetObjectLock(box, null);
        var unconfigured = await box.RunOkAsync(0, "store", "check-bucket");
        Assert.Contains("not configured", unconfigured.StdOut);
        var noLock = await box.RunOkAsync(1, "store", "extend-retention");
        Assert.Contains("s3.object_lock is not configured", noLock.StdErr);
    }

    [Theory]
    [InlineData("s3", "{mode: legal, retention: 30d}", "must be governance or compliance")]
    [InlineData("s3", "{mode: governance, retention: 0s}", "must be more than 0")]
    [InlineData("s3", "{mode: compliance, retention: forever}", "is not a duration")]
    [InlineData("s3", "{mode: compliance}", "s3.object_lock.retention")]
    [InlineData("s3", "{mode: governance, retention: 30d, legal_hold: true}", "unknown key 's3.object_lock.legal_hold'")]
    [InlineData("file", "{mode: governance, retention: 30d}", "needs an s3:// storage_url")]
    public async Task Bad_object_lock_config_is_a_one_line_usage_error(string kind, string value, string expected)
    {
        using var box = await Sandbox.CreateAsync(kind == "s3" ? "s3://some-bucket/p" : "file://{store}", kind == "s3" ? "http://127.0.0.1:1" : null);
        var text = File.ReadAllText(box.ConfigPath);
        File.WriteAllText(box.ConfigPath, kind == "s3"
            ? text.Replace("s3:\n", $"s3:\n  object_lock: {value}\n", StringComparison.Ordinal)
            : text + $"\ns3:\n  object_lock: {value}\n");
        var result = await box.RunOkAsync(2, "store", "info");
        Assert.Contains(expected, result.StdErr);
        Assert.Single(result.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Bucket_commands_on_a_file_store_are_a_one_line_usage_error()
    {
        using var box = await Sandbox.CreateAsync();
        foreach (var verb in new[] { "create-bucket", "check-bucket" })
        {
            var result = await box.RunOkAsync(2, "store", verb);
            Assert.Contains("is not an s3:// store", result.StdErr);
            Assert.Single(result.StdErr.Trim().Split('\n'));
        }
    }
}
