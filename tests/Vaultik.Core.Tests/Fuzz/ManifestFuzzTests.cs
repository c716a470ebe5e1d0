using System.Text;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Tests.Fuzz;
using ZstdSharp;

namespace Vaultik.Core.Tests.Fuzz;

/// <summary>ManifestCodec.Decode on mutated stored manifests (zstd layer) and on mutated JSON compressed afresh.</summary>
public sealed class ManifestFuzzTests
{
    private const string Id = "2026-01-01-000000-host-home-abcd";

    private static readonly FuzzTarget Stored = new("manifest", input => ManifestCodec.Decode(input, StoreLayout.ManifestKey(Id)), typeof(CorruptDataException));

    private static readonly FuzzTarget Json = new("manifest-json", DecodeJson, typeof(CorruptDataException));

    private static readonly byte[] Seed = FuzzFiles.CorpusFile("manifest", "two-blobs.json.zst", () => ManifestCodec.Encode(new SnapshotManifest(
        1, Id, "host", "home", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), 12, 3456, new string('a', 64), 2,
        [new ManifestBlob(new string('b', 64), 5), new ManifestBlob(new string('c', 64), 1 << 20)])));

    public static IEnumerable<object[]> StoredRegressions => FuzzFiles.RegressionNames(Stored.Parser);

    public static IEnumerable<object[]> JsonRegressions => FuzzFiles.RegressionNames(Json.Parser);

    private static void DecodeJson(byte[] json)
    {
        using var compressor = new Compressor(3);
        ManifestCodec.Decode(compressor.Wrap(json), StoreLayout.ManifestKey(Id));
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_stored_manifests_fail_only_as_corrupt_data()
    {
        await Task.Yield();
        FuzzRun.Run(Stored, [Seed], seed: 21, iterations: 30_000);
    }

    [Fact(Timeout = 60_000)]
    public async Task Mutated_manifest_json_fails_only_as_corrupt_data()
    {
        await Task.Yield();
        using var decompressor = new Decompressor();
        var json = decompressor.Unwrap(Seed).ToArray();
        byte[] nulls = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace("\"host\"", "null", StringComparison.Ordinal));
        FuzzRun.Run(Json, [json, nulls], seed: 22, iterations: 10_000);
    }

    [Theory]
    [MemberData(nameof(StoredRegressions))]
    public void Saved_stored_manifest_keeps_its_contract(string name) => FuzzRun.Replay(Stored, name);

    [Theory]
    [MemberData(nameof(JsonRegressions))]
    public void Saved_manifest_json_keeps_its_contract(string name) => FuzzRun.Replay(Json, name);
}
