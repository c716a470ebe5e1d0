using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Vaultik.Age;
using Vaultik.Cli.Tests.Infrastructure;
using ZstdSharp;
using AgeFile = Vaultik.Age.Age;

namespace Vaultik.Cli.Tests;

/// <summary>
/// A forged format 3 root object (docs/FORMAT.md, "Root object"), made as an attacker could with the public key
/// alone: a stream chunk pointed at another chunk, a stream chunk's hash changed, and row streams with a `..`
/// path, a duplicate path or an over-long field. Restore refuses each with one line and exit 1.
/// </summary>
public abstract class ForgedRootTests : StoreScenarioTests
{
    private static readonly string Header = "path,type,mode,uid,gid,size,mtime_ns,link_target,hardlink_to,seq,chunk_hash,blob_hash,frame_offset,frame_length,plain_length\n";

    [SkippableFact]
    public async Task A_stream_chunk_swapped_for_a_data_chunk_is_refused()
    {
        using var box = await BoxAsync();
        var id = await SnapshotAsync(box);
        await ForgeAsync(box, id, root => Exec(root, """
            UPDATE stream_chunks SET (hash, blob_hash, frame_offset, frame_length, plain_length) =
              (SELECT hash, blob_hash, frame_offset, frame_length, plain_length FROM stream_chunks WHERE seq = 0) WHERE seq = 0;
            UPDATE snapshot SET value = value WHERE key = 'id';
            """));
        await RefusedAsync(box, id, null); // unchanged: the control, restore works
        await ForgeAsync(box, id, root =>
        {
            // The data chunk of the file, named with its own hash: every chunk check passes, the stream's SHA-256 does not.
            var (hash, blob, offset, frame, plain) = DataChunk(box, id);
            Exec(root, $"UPDATE stream_chunks SET hash = '{hash}', blob_hash = '{blob}', frame_offset = {offset}, frame_length = {frame}, plain_length = {plain} WHERE seq = 0;");
            Exec(root, $"UPDATE snapshot SET value = '{plain}' WHERE key = 'row_stream_size';");
        });
        await RefusedAsync(box, id, "the row stream's size or SHA-256 does not match the root object");
    }

    [SkippableFact]
    public async Task A_stream_chunk_whose_hash_does_not_match_is_refused()
    {
        using var box = await BoxAsync();
        var id = await SnapshotAsync(box);
        await ForgeAsync(box, id, root => Exec(root, $"UPDATE stream_chunks SET hash = '{new string('e', 64)}' WHERE seq = 0;"));
        await RefusedAsync(box, id, "SHA-256 mismatch");
    }

    [SkippableTheory]
    [InlineData("dotdot", "the path 'tmp/../etc' breaks the path rule")]
    [InlineData("duplicate", "row 3 of the row stream: the path 'tmp' appears twice")]
    [InlineData("long", "row 2 of the row stream: a field longer than 1048576 bytes")]
    public async Task A_forged_row_stream_is_refused_naming_the_row(string kind, string expected)
    {
        using var box = await BoxAsync();
        var id = await SnapshotAsync(box);
        var csv = Header + kind switch
        {
            "dotdot" => "tmp,dir,493,0,0,0,1,,,,,,,,\ntmp/../etc,dir,493,0,0,0,1,,,,,,,,\n",
            "duplicate" => "tmp,dir,493,0,0,0,1,,,,,,,,\ntmp,dir,493,0,0,0,1,,,,,,,,\n",
            _ => "tmp/" + new string('x', 1 << 20) + ",dir,493,0,0,0,1,,,,,,,,\n",
        };
        var stream = Encoding.UTF8.GetBytes(csv);
        var (blobHash, blobSize, frameLength) = await PutStreamBlobAsync(box, stream);
        await ForgeAsync(box, id, root => Exec(root, $"""
            DELETE FROM stream_chunks;
            INSERT INTO stream_chunks VALUES (0, '{Convert.ToHexStringLower(SHA256.HashData(stream))}', '{blobHash}', 0, {frameLength}, {stream.Length});
            INSERT INTO blobs VALUES ('{blobHash}', {blobSize});
            UPDATE snapshot SET value = '{stream.Length}' WHERE key = 'row_stream_size';
            UPDATE snapshot SET value = '{Convert.ToHexStringLower(SHA256.HashData(stream))}' WHERE key = 'row_stream_sha256';
            """), addBlob: (blobHash, blobSize));
        await RefusedAsync(box, id, expected);
    }

    private static async Task<string> SnapshotAsync(Sandbox box)
    {
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "some content\n");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var list = await box.RunOkAsync(0, "snapshot", "list", "--json");
        return System.Text.Json.JsonDocument.Parse(list.StdOut).RootElement[0].GetProperty("id").GetString()!;
    }

    /// <summary>Restore exits 1 with one line containing <paramref name="expected"/> (0 when it is null).</summary>
    private static async Task RefusedAsync(Sandbox box, string id, string? expected)
    {
        var target = box.Dir.Combine($"restore-{Guid.NewGuid():N}");
        var result = await box.RunAsync("restore", id, target, "--identity", box.IdentityPath);
        if (expected is null)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            return;
        }

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("vaultik: error: cannot read", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private (string Hash, string Blob, long Offset, long Frame, long Plain) DataChunk(Sandbox box, string id)
    {
        // The data chunk is the one in the blob the stream's chunk is not in.
        using var db = new SqliteConnection($"Data Source={box.Dir.Combine("forged-root.db")};Pooling=false");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT b.hash, b.size FROM blobs b WHERE b.hash NOT IN (SELECT blob_hash FROM stream_chunks);";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        var content = Encoding.UTF8.GetBytes("some content\n");
        var blob = r.GetString(0);
        // One chunk, alone in its blob: its frame is the whole plaintext.
        var plain = Decrypt(box, Store.ReadAsync(box, $"blobs/{blob[..2]}/{blob[2..4]}/{blob}").GetAwaiter().GetResult());
        return (Convert.ToHexStringLower(SHA256.HashData(content)), blob, 0, plain.Length, content.Length);
    }

    /// <summary>Decrypts the root, lets <paramref name="forge"/> change it, re-encrypts it to the public key and rewrites the manifest to match.</summary>
    private async Task ForgeAsync(Sandbox box, string id, Action<SqliteConnection> forge, (string Hash, long Size)? addBlob = null)
    {
        var rootKey = $"metadata/{id}/db.zst.age";
        var path = box.Dir.Combine("forged-root.db");
        File.Delete(path);
        File.WriteAllBytes(path, Decompress(Decrypt(box, await Store.ReadAsync(box, rootKey))));
        using (var db = new SqliteConnection($"Data Source={path};Pooling=false;Foreign Keys=False"))
        {
            db.Open();
            forge(db);
        }

        var encrypted = Encrypt(box, Compress(File.ReadAllBytes(path)));
        await Store.ReplaceAsync(box, rootKey, encrypted);
        var manifestKey = $"metadata/{id}/manifest.json.zst";
        var manifest = JsonNode.Parse(Decompress(await Store.ReadAsync(box, manifestKey)))!;
        manifest["metadata_hash"] = Convert.ToHexStringLower(SHA256.HashData(encrypted));
        manifest["metadata_size"] = encrypted.Length;
        if (addBlob is { } blob)
        {
            manifest["blobs"]!.AsArray().Add(new JsonObject { ["hash"] = blob.Hash, ["size"] = blob.Size });
        }

        await Store.ReplaceAsync(box, manifestKey, Compress(Encoding.UTF8.GetBytes(manifest.ToJsonString())));
    }

    /// <summary>Stores age(zstd frame of <paramref name="stream"/>) as a blob; returns its hash, size and frame length.</summary>
    private async Task<(string Hash, long Size, int FrameLength)> PutStreamBlobAsync(Sandbox box, byte[] stream)
    {
        var frame = Compress(stream);
        var blob = Encrypt(box, frame);
        var hash = Convert.ToHexStringLower(SHA256.HashData(blob));
        var key = $"blobs/{hash[..2]}/{hash[2..4]}/{hash}";
        if (Store is TestStore.Local)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(box.StorePath, key))!);
        }

        await Attacker.PutAsync(box, key, blob);
        return (hash, blob.Length, frame.Length);
    }

    private static byte[] Decrypt(Sandbox box, byte[] encrypted)
    {
        using var input = new MemoryStream(encrypted);
        using var age = AgeFile.Decrypt(input, AgeKeyFile.Load(box.IdentityPath));
        using var output = new MemoryStream();
        age.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Encrypt(Sandbox box, byte[] plain)
    {
        using var output = new MemoryStream();
        using (var age = AgeFile.Encrypt(output, [X25519Recipient.Parse(box.PublicKey)], leaveOpen: true))
        {
            age.Write(plain);
        }

        return output.ToArray();
    }

    private static byte[] Compress(byte[] plain)
    {
        using var compressor = new Compressor(3);
        return compressor.Wrap(plain).ToArray();
    }

    private static byte[] Decompress(byte[] frame)
    {
        using var input = new DecompressionStream(new MemoryStream(frame));
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
