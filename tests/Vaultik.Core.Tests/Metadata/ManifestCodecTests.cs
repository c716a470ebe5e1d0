using System.Text;
using Vaultik.Core.Metadata;
using Vaultik.Core.Layout;

namespace Vaultik.Core.Tests.Metadata;

public sealed class ManifestCodecTests
{
    private static SnapshotManifest Sample(string id) => new(
        3, id, "host", "home", DateTimeOffset.Parse("2026-11-24T22:15:30.123Z", System.Globalization.CultureInfo.InvariantCulture), 12, 3456,
        new string('a', 64), 789, [new ManifestBlob(new string('b', 64), 1000), new ManifestBlob(new string('c', 64), 2000)]);

    [Fact]
    public void A_manifest_round_trips_with_snake_case_keys_and_no_encryption()
    {
        var id = SnapshotId.Create(DateTimeOffset.UtcNow, "host", "home").Value;
        var bytes = ManifestCodec.Encode(Sample(id));
        using var d = new ZstdSharp.Decompressor();
        var json = Encoding.UTF8.GetString(d.Unwrap(bytes));
        Assert.Contains("\"file_count\":12", json);
        Assert.Contains("\"blobs\":[{\"hash\":\"", json);
        var back = ManifestCodec.Decode(bytes, StoreLayout.ManifestKey(id));
        Assert.Equal(id, back.Id);
        Assert.Equal(3000, back.CompressedSize);
        Assert.Equal(2, back.Blobs.Count);
    }

    [Fact]
    public void A_manifest_stored_under_another_snapshots_key_is_refused()
    {
        var id = SnapshotId.Create(DateTimeOffset.UtcNow, "host", "home").Value;
        var other = SnapshotId.Create(DateTimeOffset.UtcNow, "host", "other").Value;
        Assert.Throws<CorruptDataException>(() => ManifestCodec.Decode(ManifestCodec.Encode(Sample(id)), StoreLayout.ManifestKey(other)));
    }

    [Theory]
    [InlineData("not zstd at all")]
    [InlineData("")]
    public void Garbage_is_reported_as_corrupt(string content) =>
        Assert.Throws<CorruptDataException>(() => ManifestCodec.Decode(Encoding.UTF8.GetBytes(content), "metadata/x/manifest.json.zst"));

    [Theory]
    [InlineData("{\"id\": 5}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"format_version\":1}")]
    [InlineData("{\"id\":\"2026-11-24-201530-h-n-abcd\",\"hostname\":\"h\",\"name\":\"n\",\"metadata_hash\":\"x\",\"blobs\":[{\"hash\":\"../../etc\",\"size\":1}]}")]
    public void Malformed_json_is_reported_as_corrupt(string json)
    {
        using var c = new ZstdSharp.Compressor(3);
        var bytes = c.Wrap(Encoding.UTF8.GetBytes(json)).ToArray();
        Assert.Throws<CorruptDataException>(() => ManifestCodec.Decode(bytes, "metadata/2026-11-24-201530-h-n-abcd/manifest.json.zst"));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(1, false)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void Manifests_of_format_2_to_4_are_read_and_others_refused(int version, bool readable)
    {
        var id = SnapshotId.Create(DateTimeOffset.UtcNow, "host", "home").Value;
        var bytes = ManifestCodec.Encode(Sample(id) with { FormatVersion = version });
        if (readable)
        {
            Assert.Equal(version, ManifestCodec.Decode(bytes, StoreLayout.ManifestKey(id)).FormatVersion);
        }
        else
        {
            var error = Assert.Throws<CorruptDataException>(() => ManifestCodec.Decode(bytes, StoreLayout.ManifestKey(id)));
            Assert.Contains($"store format {version} is not one this Vaultik reads", error.Message, StringComparison.Ordinal);
        }
    }
}
