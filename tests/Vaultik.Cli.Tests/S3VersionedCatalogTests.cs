using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Metadata;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests;

/// <summary>
/// In a versioned bucket (the premise of issue 14, item 4) a manifest or metadata object rewritten with
/// put-only rights leaves its first version behind: list, latest and purge use that version and flag the key.
/// </summary>
public sealed class S3VersionedCatalogTests : IAsyncLifetime
{
    private readonly string _bucket = S3Fixture.NewBucketName();
    private bool _created;

    public async Task InitializeAsync()
    {
        if (S3Fixture.SkipReason is not null)
        {
            return;
        }

        using var client = S3Fixture.AdminClient();
        await client.PutBucketAsync(_bucket);
        _created = true;
        await client.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = _bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });
    }

    public async Task DisposeAsync()
    {
        if (!_created)
        {
            return;
        }

        using var client = S3Fixture.AdminClient();
        ListVersionsResponse page;
        do
        {
            page = await client.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket });
            foreach (var version in page.Versions ?? [])
            {
                await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = version.Key, VersionId = version.VersionId });
            }
        }
        while (page.IsTruncated == true);

        await client.DeleteBucketAsync(_bucket);
    }

    [SkippableFact]
    public async Task A_rewritten_manifest_and_metadata_object_are_read_as_first_written_and_flagged()
    {
        Skip.If(S3Fixture.SkipReason is not null, S3Fixture.SkipReason);
        const string prefix = "store";
        using var box = await Sandbox.CreateAsync($"s3://{_bucket}/{prefix}", S3Fixture.Endpoint);
        File.AppendAllText(box.ConfigPath, "\nhostname: host-a\n");
        var notes = Path.Combine(box.Source, "notes.txt");
        foreach (var text in new[] { "genuine 0", "genuine 1" })
        {
            File.WriteAllText(notes, text);
            await box.RunOkAsync(0, "snapshot", "create", box.Source);
        }

        var ids = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).ToList();
        var manifestKey = $"metadata/{ids[1]}/manifest.json.zst";
        var metadataKey = $"metadata/{ids[0]}/db.zst.age";
        using (var attacker = S3Fixture.AdminClient())
        {
            // The attacker's rewrite: the newest manifest now claims 2099 and another name, the older metadata is cut short.
            using var original = await attacker.GetObjectAsync(_bucket, $"{prefix}/{manifestKey}");
            using var bytes = new MemoryStream();
            await original.ResponseStream.CopyToAsync(bytes);
            var genuine = ManifestCodec.Decode(bytes.ToArray(), manifestKey);
            var forged = genuine with { Name = "evil", Created = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero) };
            await attacker.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = $"{prefix}/{manifestKey}", InputStream = new MemoryStream(ManifestCodec.Encode(forged)) });
            await attacker.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = $"{prefix}/{metadataKey}", ContentBody = "short" });
        }

        var list = await box.RunOkAsync(0, "snapshot", "list", "--json");
        Assert.Contains(manifestKey, list.StdErr);
        Assert.Contains(metadataKey, list.StdErr);
        var rows = JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray().ToList();
        Assert.Equal(ids, rows.Select(r => r.GetProperty("id").GetString()));
        Assert.All(rows, r => Assert.Equal("adhoc", r.GetProperty("name").GetString()));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("suspect").ValueKind));
        Assert.Equal([metadataKey], rows[0].GetProperty("tampered").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal([manifestKey], rows[1].GetProperty("tampered").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("tampered", (await box.RunOkAsync(0, "snapshot", "list")).StdOut);

        Assert.Equal("genuine 1", (await box.RunOkAsync(0, "fetch", "latest", notes, "--identity", box.IdentityPath)).StdOut);
        Assert.Equal("genuine 0", (await box.RunOkAsync(0, "fetch", ids[0], notes, "--identity", box.IdentityPath)).StdOut);
        var plan = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "purge", "--keep-last", "1", "--dry-run", "--json")).StdOut).RootElement;
        Assert.Equal([ids[0]], plan.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
    }
}
