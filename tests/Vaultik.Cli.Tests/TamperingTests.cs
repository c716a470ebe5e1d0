using System.Security.Cryptography;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Tests;

/// <summary>
/// A manifest is unencrypted and unsigned: an attacker who rewrites one (local store, or an S3 bucket without
/// versioning) must not make restore, fetch or verify accept something other than what was backed up.
/// </summary>
public abstract class TamperingTests : StoreScenarioTests
{
    [SkippableFact]
    public async Task A_manifest_pointed_at_an_older_snapshots_metadata_is_refused_by_restore_fetch_and_verify()
    {
        using var box = await SmallBlobsBoxAsync();
        var notes = Path.Combine(box.Source, "notes.txt");
        File.WriteAllText(notes, "what the old snapshot holds\n");
        var old = await CreateAsync(box);
        File.WriteAllText(notes, "what the newer snapshot holds\n");
        var newer = await CreateAsync(box);

        // The attack: copy the older db.zst.age under the newer id and patch the newer manifest's metadata hash and size.
        var oldMetadata = await Store.ReadAsync(box, StoreLayout.MetadataKey(old));
        var manifest = await ManifestCodec.ReadAsync(Store.Open(box), newer, CancellationToken.None);
        await Attacker.PutAsync(box, StoreLayout.MetadataKey(newer), oldMetadata);
        await Attacker.PutAsync(box, StoreLayout.ManifestKey(newer), ManifestCodec.Encode(manifest with
        {
            MetadataHash = Convert.ToHexStringLower(SHA256.HashData(oldMetadata)),
            MetadataSize = oldMetadata.Length,
        }));

        var refusal = $"cannot use snapshot {newer}: its metadata belongs to snapshot '{old}' (the manifest was pointed at another snapshot's metadata)";
        var target = box.Dir.Combine("r");
        var restore = await box.RunOkAsync(1, "restore", newer, target, "--identity", box.IdentityPath);
        Assert.Contains(refusal, restore.StdErr);
        Assert.False(File.Exists(Sandbox.Restored(target, notes)), "restore wrote the older snapshot's file");

        var fetch = await box.RunOkAsync(1, "fetch", newer, notes, "--identity", box.IdentityPath);
        Assert.Contains(refusal, fetch.StdErr);
        Assert.Equal(string.Empty, fetch.StdOut);

        var deep = await box.RunOkAsync(5, "verify", "--deep", "--identity", box.IdentityPath);
        Assert.Contains($"{StoreLayout.MetadataKey(newer)}: does not belong to its manifest: its metadata belongs to snapshot '{old}'", deep.StdErr);
        var one = await box.RunOkAsync(5, "snapshot", "verify", newer, "--deep", "--identity", box.IdentityPath);
        Assert.Contains($"its metadata belongs to snapshot '{old}'", one.StdErr);

        // Without a key the copy still shows: two manifests give one metadata object.
        var keyless = await box.RunOkAsync(5, "verify", "--deep");
        Assert.Contains($"{StoreLayout.MetadataKey(newer)}: its manifest gives the metadata SHA-256 of snapshot {old}'s", keyless.StdErr);

        // The older snapshot is untouched and still restores.
        var oldTarget = box.Dir.Combine("old");
        await box.RunOkAsync(0, "restore", old, oldTarget, "--identity", box.IdentityPath);
        Assert.Equal("what the old snapshot holds\n", File.ReadAllText(Sandbox.Restored(oldTarget, notes)));
    }

    [SkippableFact]
    public async Task A_blob_deleted_and_dropped_from_its_manifest_is_named_by_deep_verify_with_a_key()
    {
        using var box = await SmallBlobsBoxAsync();
        TestTree.WriteLargeFile(Path.Combine(box.Source, "a.bin"), 3L << 20, seed: 1);
        TestTree.WriteLargeFile(Path.Combine(box.Source, "b.bin"), 3L << 20, seed: 2);
        var id = await CreateAsync(box);
        var manifest = await ManifestCodec.ReadAsync(Store.Open(box), id, CancellationToken.None);
        Assert.True(manifest.Blobs.Count >= 3, $"{manifest.Blobs.Count} blobs");

        // The attack: delete a data blob and drop it from the manifest, so that the manifest agrees with the listing.
        // The largest blob holds file data (the row stream's blob is a few hundred bytes); a missing row stream blob
        // refuses the whole metadata instead, which the forged root tests cover.
        var victim = manifest.Blobs.MaxBy(b => b.Size)!;
        var victimKey = StoreLayout.BlobKey(Vaultik.Core.Hash256.Parse(victim.Hash));
        await Attacker.DeleteAsync(box, victimKey);
        await Attacker.PutAsync(box, StoreLayout.ManifestKey(id), ManifestCodec.Encode(manifest with { Blobs = manifest.Blobs.Where(b => b != victim).ToList() }));

        var verify = await box.RunOkAsync(5, "verify", "--deep", "--identity", box.IdentityPath);
        Assert.Contains($"{victimKey}: missing (the metadata's chunks need it; the manifest does not list it) (needed by {id})", verify.StdErr);
        Assert.Contains($"{StoreLayout.MetadataKey(id)}: does not belong to its manifest: its metadata lists blob '{victim.Hash}', which the manifest does not", verify.StdErr);

        var json = JsonDocument.Parse((await box.RunOkAsync(5, "verify", "--deep", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Contains(json.GetProperty("problems").EnumerateArray(), p => p.GetProperty("object").GetString() == victimKey);

        var restore = await box.RunOkAsync(1, "restore", id, box.Dir.Combine("r"), "--identity", box.IdentityPath);
        Assert.Contains($"cannot use snapshot {id}: its metadata lists blob '{victim.Hash}', which the manifest does not", restore.StdErr);
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
