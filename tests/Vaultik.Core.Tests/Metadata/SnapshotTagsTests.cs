using Vaultik.Core.Metadata;
using Vaultik.Core.Layout;

namespace Vaultik.Core.Tests.Metadata;

/// <summary>Tags: the allowed alphabet, the manifest field (absent in older manifests) and the metadata cross-check.</summary>
public sealed class SnapshotTagsTests
{
    private const string Id = "2026-01-02-030405-host-default-abcdef01";
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static SnapshotManifest Manifest(params string[] tags) =>
        new(SnapshotManifest.CurrentFormatVersion, Id, "host", "default", Created, 1, 1, new string('0', 64), 1, []) { Tags = tags };

    private static Dictionary<string, string> Info(string? tags)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = Id, ["hostname"] = "host", ["name"] = "default", ["created"] = Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (tags is not null)
        {
            info["tags"] = tags;
        }

        return info;
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("release:v1.2_rc-3", true)]
    [InlineData("", false)]
    [InlineData("with space", false)]
    [InlineData("slash/no", false)]
    [InlineData("ü", false)]
    public void The_tag_alphabet_is_letters_digits_and_dot_underscore_colon_dash(string tag, bool valid) =>
        Assert.Equal(valid, SnapshotTags.IsValid(tag));

    [Fact]
    public void Length_is_1_to_64_and_normalize_sorts_dedupes_and_refuses_bad_tags()
    {
        Assert.True(SnapshotTags.IsValid(new string('x', 64)));
        Assert.False(SnapshotTags.IsValid(new string('x', 65)));
        Assert.Equal(["a", "b"], SnapshotTags.Normalize(["b", "a", "b"], "--tag"));
        var ex = Assert.Throws<ConfigurationException>(() => SnapshotTags.Normalize(["ok", "no good"], "--tag"));
        Assert.StartsWith("cannot use --tag 'no good'", ex.Message);
    }

    [Fact]
    public void Tags_round_trip_through_the_manifest_and_an_older_manifest_has_none()
    {
        var key = StoreLayout.ManifestKey(Id);
        var decoded = ManifestCodec.Decode(ManifestCodec.Encode(Manifest("b", "a")), key);
        Assert.Equal(["a", "b"], decoded.Tags);

        // A manifest from before tags existed: the same JSON without the field.
        var json = System.Text.Encoding.UTF8.GetString(new ZstdSharp.Decompressor().Unwrap(ManifestCodec.Encode(Manifest())).ToArray());
        Assert.Contains("\"tags\":[]", json);
        var old = json.Replace(",\"tags\":[]", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("tags", old);
        Assert.Empty(ManifestCodec.Decode(new ZstdSharp.Compressor().Wrap(System.Text.Encoding.UTF8.GetBytes(old)).ToArray(), key).Tags);

        var hostile = json.Replace("\"tags\":[]", "\"tags\":[\"bad tag\"]", StringComparison.Ordinal);
        Assert.Throws<CorruptDataException>(() => ManifestCodec.Decode(new ZstdSharp.Compressor().Wrap(System.Text.Encoding.UTF8.GetBytes(hostile)).ToArray(), key));
    }

    [Theory]
    [InlineData(null, null)] // metadata written before tags existed: not compared
    [InlineData("[\"a\",\"b\"]", null)]
    [InlineData("[\"b\",\"a\"]", null)]
    [InlineData("[\"a\"]", "its metadata has tags 'a', the manifest says 'a,b'")]
    [InlineData("[]", "its metadata has tags '', the manifest says 'a,b'")]
    [InlineData("{}", "its metadata's tags '{}' are not a JSON array")]
    [InlineData("[1]", "its metadata's tags '[1]' are not all strings")]
    [InlineData("[", "its metadata's tags '[' are not valid JSON")]
    public void The_metadata_tags_must_be_the_manifest_tags_when_recorded(string? metadataTags, string? expected) =>
        Assert.Equal(expected, MetadataManifestCheck.InfoProblem(Info(metadataTags), Manifest("a", "b")));

    [Fact]
    public void Tags_added_to_a_manifest_whose_metadata_records_none_are_caught()
    {
        Assert.Equal("its metadata has tags '', the manifest says 'keep'", MetadataManifestCheck.InfoProblem(Info("[]"), Manifest("keep")));
    }
}
