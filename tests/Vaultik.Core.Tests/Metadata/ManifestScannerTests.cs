using System.Text;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Testing;
using Vaultik.Tests.Fuzz;
using ZstdSharp;

namespace Vaultik.Core.Tests.Metadata;

/// <summary>The streaming manifest reader against the whole-manifest codec: same header, same blobs, same refusals.</summary>
public sealed class ManifestScannerTests
{
    private const string Id = "2026-01-01-000000-host-home-abcd";

    private static readonly string Key = StoreLayout.ManifestKey(Id);

    private static SnapshotManifest Sample(int blobs) => new(
        2, Id, "host", "home", new DateTimeOffset(2026, 1, 1, 0, 0, 0, 123, TimeSpan.Zero), 12, 3456, new string('a', 64), 789,
        Enumerable.Range(0, blobs).Select(i => new ManifestBlob(Hash256.Compute(BitConverter.GetBytes(i)).ToString(), 1000 + i)).ToList())
    {
        Tags = ["daily", "x.y"],
    };

    private static async Task<(ManifestHeader Header, List<(Hash256, long)> Blobs)> ScanAsync(byte[] stored)
    {
        var store = new MemoryObjectStore();
        await store.PutAsync(Key, new MemoryStream(stored));
        var blobs = new List<(Hash256, long)>();
        var header = await ManifestScanner.ReadAsync(store, Id, (h, s) => blobs.Add((h, s)), CancellationToken.None);
        return (header, blobs);
    }

    private static byte[] Compress(string json)
    {
        using var compressor = new Compressor(3);
        return compressor.Wrap(Encoding.UTF8.GetBytes(json)).ToArray();
    }

    [Fact]
    public async Task A_large_manifest_streams_the_blobs_the_codec_reads_and_the_same_header()
    {
        // 200,000 blobs: far more JSON than the scanner's 64 KiB buffer, so tokens straddle every refill.
        var manifest = Sample(200_000);
        var stored = ManifestCodec.Encode(manifest);
        var (header, blobs) = await ScanAsync(stored);
        var decoded = ManifestCodec.Decode(stored, Key);
        Assert.Equal(decoded.Blobs.Select(b => (Hash256.Parse(b.Hash), b.Size)), blobs);
        Assert.Empty(header.Manifest.Blobs);
        Assert.Equal(decoded with { Blobs = [] }, header.Manifest with { Blobs = [] }, new ManifestFieldsComparer());
        Assert.Equal(200_000, header.BlobCount);
        Assert.Equal(decoded.CompressedSize, header.BlobBytes);
    }

    [Theory]
    [InlineData("{\"hash\":\"" + "B" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"size\":1}")]
    [InlineData("{\"hash\":\"bbbb\",\"size\":1}")]
    [InlineData("{\"hash\":\"" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "\",\"size\":-1}")]
    [InlineData("{\"size\":1}")]
    [InlineData("null")]
    [InlineData("{\"hash\":5,\"size\":1}")]
    [InlineData("{\"hash\":\"" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "\",\"size\":\"1\"}")]
    [InlineData("{\"hash\":\"" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + "\",\"size\":1.5}")]
    public async Task A_malformed_blob_entry_is_refused_as_the_codec_refuses_it(string entry)
    {
        var stored = Compress($"{{\"format_version\":2,\"id\":\"{Id}\",\"hostname\":\"h\",\"name\":\"home\",\"created\":\"2026-01-01T00:00:00Z\",\"file_count\":1,\"total_size\":1,\"metadata_hash\":\"{new string('a', 64)}\",\"metadata_size\":1,\"blobs\":[{entry}]}}");
        Assert.Throws<CorruptDataException>(() => ManifestCodec.Decode(stored, Key));
        await Assert.ThrowsAsync<CorruptDataException>(() => ScanAsync(stored));
    }

    [Fact]
    public async Task A_manifest_with_two_blob_lists_is_refused()
    {
        var blob = $"{{\"hash\":\"{new string('b', 64)}\",\"size\":1}}";
        var stored = Compress($"{{\"format_version\":2,\"id\":\"{Id}\",\"hostname\":\"h\",\"name\":\"home\",\"created\":\"2026-01-01T00:00:00Z\",\"file_count\":1,\"total_size\":1,\"metadata_hash\":\"{new string('a', 64)}\",\"metadata_size\":1,\"blobs\":[{blob}],\"blobs\":[]}}");
        var error = await Assert.ThrowsAsync<CorruptDataException>(() => ScanAsync(stored));
        Assert.Contains("two blob lists", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task On_mutated_manifest_json_the_scanner_and_the_codec_agree()
    {
        using var decompressor = new Decompressor();
        var json = decompressor.Unwrap(ManifestCodec.Encode(Sample(3))).ToArray();
        var mutator = new FuzzMutator(seed: 15, maxLength: 1 << 16);
        var disagreements = new List<string>();
        for (var i = 0; i < 3_000 * FuzzRun.Scale && disagreements.Count < 5; i++)
        {
            var input = mutator.Mutate(json, [json]);
            using var compressor = new Compressor(3);
            var stored = compressor.Wrap(input).ToArray();
            SnapshotManifest? decoded = null;
            try
            {
                decoded = ManifestCodec.Decode(stored, Key);
            }
            catch (CorruptDataException)
            {
            }

            (ManifestHeader Header, List<(Hash256, long)> Blobs)? scanned = null;
            try
            {
                scanned = await ScanAsync(stored);
            }
            catch (CorruptDataException ex) when (decoded is null || ex.Message.Contains("two blob lists", StringComparison.Ordinal) || !IsUtf8(input))
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(input);
            if (decoded is null || scanned is null)
            {
                disagreements.Add($"codec {(decoded is null ? "refused" : "read")} / scanner {(scanned is null ? "refused" : "read")}: {text}");
            }
            else if (!decoded.Blobs.Select(b => (Hash256.Parse(b.Hash), b.Size)).SequenceEqual(scanned.Value.Blobs)
                || !new ManifestFieldsComparer().Equals(decoded with { Blobs = [] }, scanned.Value.Header.Manifest))
            {
                disagreements.Add($"different results: {text}");
            }
        }

        Assert.Empty(disagreements);
    }

    /// <summary>The scanner refuses invalid UTF-8 anywhere; the codec lets it through in names it ignores (the safe direction: prune refuses).</summary>
    private static bool IsUtf8(byte[] input) => System.Text.Unicode.Utf8.IsValid(input);

    private sealed class ManifestFieldsComparer : IEqualityComparer<SnapshotManifest>
    {
        public bool Equals(SnapshotManifest? x, SnapshotManifest? y) =>
            x is not null && y is not null && x.FormatVersion == y.FormatVersion && x.Id == y.Id && x.Hostname == y.Hostname && x.Name == y.Name
            && x.Created == y.Created && x.FileCount == y.FileCount && x.TotalSize == y.TotalSize && x.MetadataHash == y.MetadataHash
            && x.MetadataSize == y.MetadataSize && x.Blobs.Count == y.Blobs.Count && x.Tags.SequenceEqual(y.Tags);

        public int GetHashCode(SnapshotManifest obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
