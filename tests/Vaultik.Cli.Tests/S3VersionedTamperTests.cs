using System.Security.Cryptography;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Tests;

/// <summary>
/// In a versioned bucket an attacker with put-only credentials can add versions but not remove the first one:
/// restore, fetch and verify read each key as first written, name every rewritten key, and verify exits 5.
/// </summary>
public sealed class S3VersionedTamperTests : StoreScenarioTests
{
    protected override TestStore Store { get; } = new VersionedS3TestStore();

    [SkippableFact]
    public async Task Overwriting_a_blob_a_metadata_object_and_a_manifest_changes_nothing_restore_or_fetch_return()
    {
        using var box = await SmallBlobsBoxAsync();
        TestTree.Build(box.Source, largeFileBytes: 3L << 20, smallFiles: 40);
        var old = await CreateAsync(box);
        var later = Path.Combine(box.Source, "later.txt");
        File.WriteAllText(later, "only in the newer snapshot\n");
        var newer = await CreateAsync(box);

        // The attack, by plain PUTs that bypass Vaultik: a blob's bytes replaced, the older metadata copied under the
        // newer id, and the newer manifest patched to match it.
        var manifest = await ManifestCodec.ReadAsync(Store.Open(box), newer, CancellationToken.None);
        var blobKey = StoreLayout.BlobKey(Hash256.Parse(manifest.Blobs[0].Hash));
        var oldMetadata = await Store.ReadAsync(box, StoreLayout.MetadataKey(old));
        await Attacker.PutAsync(box, blobKey, RandomNumberGenerator.GetBytes((int)manifest.Blobs[0].Size));
        await Attacker.PutAsync(box, StoreLayout.MetadataKey(newer), oldMetadata);
        await Attacker.PutAsync(box, StoreLayout.ManifestKey(newer), ManifestCodec.Encode(manifest with
        {
            MetadataHash = Convert.ToHexStringLower(SHA256.HashData(oldMetadata)),
            MetadataSize = oldMetadata.Length,
        }));
        string[] tampered = [blobKey, StoreLayout.MetadataKey(newer), StoreLayout.ManifestKey(newer)];
        foreach (var key in tampered)
        {
            // RGW ignores If-None-Match on PUT: the overwrite succeeded and left the first version behind.
            Assert.Equal(2, await Attacker.VersionCountAsync(box, key));
        }

        var target = box.Dir.Combine("r");
        var restore = await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));
        foreach (var key in tampered)
        {
            Assert.Contains($"warning: {key} has 2 versions: it was changed after it was written (tampering); the first version is the one used", restore.StdErr);
        }

        var output = box.Dir.Combine("later.out");
        var fetch = await box.RunOkAsync(0, "fetch", newer, later, "--output", output, "--identity", box.IdentityPath);
        Assert.Equal(File.ReadAllBytes(later), File.ReadAllBytes(output));
        Assert.All(tampered, key => Assert.Contains(key, fetch.StdErr));
        var large = Directory.GetFiles(box.Source, "*", SearchOption.AllDirectories).OrderByDescending(f => new FileInfo(f).Length).First();
        var largeOutput = box.Dir.Combine("large.out");
        await box.RunOkAsync(0, "fetch", newer, large, "--output", largeOutput, "--identity", box.IdentityPath);
        Assert.Equal(File.ReadAllBytes(large), File.ReadAllBytes(largeOutput));

        var quick = await box.RunOkAsync(5, "verify");
        AssertOneErrorLinePerKey(quick.StdErr, tampered);
        var deep = await box.RunOkAsync(5, "verify", "--deep", "--identity", box.IdentityPath);
        AssertOneErrorLinePerKey(deep.StdErr, tampered);
        Assert.Contains($"{blobKey}: written 2 times: it was changed after Vaultik wrote it (tampering); its first version still hashes to its name and is the one used", deep.StdErr);

        var json = JsonDocument.Parse((await box.RunOkAsync(5, "verify", "--deep", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        var objects = json.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("object").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(tampered.Order(StringComparer.Ordinal).ToList(), objects);
    }

    [SkippableFact]
    public async Task A_rewritten_blob_whose_first_version_is_damaged_is_reported_as_lost()
    {
        using var box = await SmallBlobsBoxAsync();
        TestTree.WriteLargeFile(Path.Combine(box.Source, "a.bin"), 2L << 20, seed: 3);
        var id = await CreateAsync(box);
        var manifest = await ManifestCodec.ReadAsync(Store.Open(box), id, CancellationToken.None);
        // A data blob (the largest; the row stream's blob is a few hundred bytes).
        var victim = manifest.Blobs.MaxBy(b => b.Size)!;
        var blobKey = StoreLayout.BlobKey(Hash256.Parse(victim.Hash));

        // With delete rights (not the backup host's): every version removed, then damaged bytes written twice.
        await Store.Open(box).DeleteAsync(blobKey);
        await Attacker.PutAsync(box, blobKey, RandomNumberGenerator.GetBytes((int)victim.Size));
        await Attacker.PutAsync(box, blobKey, RandomNumberGenerator.GetBytes((int)victim.Size));

        var verify = await box.RunOkAsync(5, "verify");
        Assert.Contains($"{blobKey}: written 2 times: it was changed after Vaultik wrote it (tampering); its first version does not hash to its name either (corrupt): its data is lost (needed by {id})", verify.StdErr);
        var restore = await box.RunOkAsync(1, "restore", id, box.Dir.Combine("r"), "--identity", box.IdentityPath);
        Assert.Contains(blobKey, restore.StdErr);
    }

    private static void AssertOneErrorLinePerKey(string stderr, IEnumerable<string> keys)
    {
        var errors = stderr.Split('\n').Where(l => l.StartsWith("vaultik: error: ", StringComparison.Ordinal)).ToList();
        foreach (var key in keys)
        {
            Assert.Single(errors, l => l.StartsWith($"vaultik: error: {key}: ", StringComparison.Ordinal));
        }

        Assert.Equal(keys.Count(), errors.Count);
    }

    private async Task<Sandbox> SmallBlobsBoxAsync()
    {
        var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\nchunk_min_size: 16KiB\nchunk_avg_size: 64KiB\nchunk_max_size: 256KiB\nblob_size_limit: 1MiB\n");
        return box;
    }

    private static async Task<string> CreateAsync(Sandbox box) =>
        JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "create", box.Source, "--json")).StdOut).RootElement[0].GetProperty("id").GetString()!;
}
