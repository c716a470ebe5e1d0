using Vaultik.Core.Metadata;
using Vaultik.Core.Tests.Restore;

namespace Vaultik.Core.Tests.Metadata;

/// <summary>Metadata belongs to its manifest only when id, hostname, name, created and the blob set all agree.</summary>
public sealed class MetadataManifestCheckTests : IDisposable
{
    private const string Id = "2026-01-02T03-04-05Z-host-abcdef01";
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, 123, TimeSpan.Zero);
    private static readonly string A = new('a', 64);
    private static readonly string B = new('b', 64);
    private static readonly string C = new('c', 64);
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SnapshotManifest Manifest(params (string Hash, long Size)[] blobs) =>
        new(SnapshotManifest.CurrentFormatVersion, Id, "host", "default", Created, 1, 1, new string('0', 64), 1, blobs.Select(b => new ManifestBlob(b.Hash, b.Size)).ToList());

    private static Dictionary<string, string> Info(string? skip = null, string? key = null, string? value = null)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = Id, ["hostname"] = "host", ["name"] = "default", ["created"] = Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (skip is not null)
        {
            info.Remove(skip);
        }

        if (key is not null)
        {
            info[key] = value!;
        }

        return info;
    }

    private static string? Compare(IReadOnlyList<(string Hash, long Size)> metadata, SnapshotManifest manifest)
    {
        var comparison = new BlobSetComparison(manifest.Blobs);
        foreach (var (hash, size) in metadata)
        {
            if (!comparison.Next(hash, size))
            {
                break;
            }
        }

        return comparison.Finish();
    }

    [Fact]
    public void Matching_info_passes_and_the_same_instant_written_with_another_offset_matches()
    {
        Assert.Null(MetadataManifestCheck.InfoProblem(Info(), Manifest()));
        Assert.Null(MetadataManifestCheck.InfoProblem(Info(key: "created", value: "2026-01-02T05:04:05.1230000+02:00"), Manifest()));
    }

    [Theory]
    [InlineData("id", "2025-01-01T00-00-00Z-host-00000001", "its metadata belongs to snapshot '2025-01-01T00-00-00Z-host-00000001' (the manifest was pointed at another snapshot's metadata)")]
    [InlineData("hostname", "other", "its metadata was made on host 'other', the manifest says 'host'")]
    [InlineData("name", "etc", "its metadata is of a snapshot named 'etc', the manifest says 'default'")]
    [InlineData("created", "2026-01-02T03:04:05.1240000+00:00", "its metadata was created '2026-01-02T03:04:05.1240000+00:00', the manifest says 2026-01-02T03:04:05.1230000+00:00")]
    [InlineData("created", "yesterday", "its metadata was created 'yesterday', the manifest says 2026-01-02T03:04:05.1230000+00:00")]
    public void Each_differing_key_is_named(string key, string value, string expected) =>
        Assert.Equal(expected, MetadataManifestCheck.InfoProblem(Info(key: key, value: value), Manifest()));

    [Theory]
    [InlineData("id")]
    [InlineData("hostname")]
    [InlineData("name")]
    [InlineData("created")]
    public void A_missing_key_is_a_mismatch(string key) =>
        Assert.Equal($"its metadata does not record the snapshot's {key}", MetadataManifestCheck.InfoProblem(Info(skip: key), Manifest()));

    [Fact]
    public void Equal_blob_sets_pass_including_empty_ones()
    {
        Assert.Null(Compare([(A, 1), (B, 2), (C, 3)], Manifest((A, 1), (B, 2), (C, 3))));
        Assert.Null(Compare([], Manifest()));
    }

    [Fact]
    public void A_blob_only_the_metadata_lists_is_named_wherever_it_sorts()
    {
        Assert.Equal($"its metadata lists blob '{B}', which the manifest does not", Compare([(A, 1), (B, 2), (C, 3)], Manifest((A, 1), (C, 3))));
        Assert.Equal($"its metadata lists blob '{C}', which the manifest does not", Compare([(A, 1), (C, 3)], Manifest((A, 1))));
        Assert.Equal($"its metadata lists blob '{A}', which the manifest does not", Compare([(A, 1)], Manifest()));
    }

    [Fact]
    public void A_blob_only_the_manifest_lists_is_named_wherever_it_sorts()
    {
        Assert.Equal($"the manifest lists blob {B}, which its metadata does not", Compare([(A, 1), (C, 3)], Manifest((A, 1), (B, 2), (C, 3))));
        Assert.Equal($"the manifest lists blob {C}, which its metadata does not", Compare([(A, 1), (B, 2)], Manifest((A, 1), (B, 2), (C, 3))));
        Assert.Equal($"the manifest lists blob {A}, which its metadata does not", Compare([], Manifest((A, 1))));
    }

    [Fact]
    public void A_size_difference_is_named()
    {
        Assert.Equal($"its metadata gives blob {B} 7 bytes, the manifest 2", Compare([(A, 1), (B, 7)], Manifest((A, 1), (B, 2))));
    }

    [Fact]
    public void A_manifest_listing_a_blob_twice_or_out_of_order_is_refused()
    {
        Assert.Equal($"the manifest lists blob {A} out of order or twice", Compare([(A, 1)], Manifest((A, 1), (A, 1))));
        Assert.Equal($"the manifest lists blob {A} out of order or twice", Compare([(B, 2), (C, 3)], Manifest((B, 2), (A, 1), (C, 3))));
    }

    [Fact]
    public void Metadata_rows_out_of_order_are_refused() =>
        Assert.Equal($"its metadata lists blob '{A}' out of order or twice", Compare([(B, 2), (A, 1)], Manifest((B, 2), (C, 3))));

    [Fact]
    public void A_real_database_is_compared_by_its_snapshot_and_blobs_tables()
    {
        var rows = $"""
            INSERT INTO snapshot VALUES ('id', '{Id}'), ('hostname', 'host'), ('name', 'default'), ('created', '{Created:O}');
            INSERT INTO blobs VALUES ('{B}', 2), ('{A}', 1);
            """;
        using (var good = new MetadataReader(HostileDatabase.Build(_dir, rows, "good.db")))
        {
            Assert.Null(MetadataManifestCheck.Problem(good, Manifest((A, 1), (B, 2))));
            MetadataManifestCheck.Require(good, Manifest((A, 1), (B, 2)));
            var ex = Assert.Throws<CorruptDataException>(() => MetadataManifestCheck.Require(good, Manifest((A, 1))));
            Assert.Equal($"cannot use snapshot {Id}: its metadata lists blob '{B}', which the manifest does not", ex.Message);
        }

        using var typed = new MetadataReader(HostileDatabase.Build(_dir, rows + $"UPDATE blobs SET size = 'two' WHERE hash = '{B}';", "typed.db"));
        Assert.Equal($"its metadata gives blob {B} -1 bytes, the manifest 2", MetadataManifestCheck.Problem(typed, Manifest((A, 1), (B, 2))));
    }

    [Fact]
    public void A_database_of_another_snapshot_is_refused_before_its_blobs_are_read()
    {
        var rows = $"""
            INSERT INTO snapshot VALUES ('id', '2025-01-01T00-00-00Z-host-00000001'), ('hostname', 'host'), ('name', 'default'), ('created', '{Created:O}');
            INSERT INTO blobs VALUES ('{A}', 1);
            """;
        using var other = new MetadataReader(HostileDatabase.Build(_dir, rows));
        Assert.Equal(
            "its metadata belongs to snapshot '2025-01-01T00-00-00Z-host-00000001' (the manifest was pointed at another snapshot's metadata)",
            MetadataManifestCheck.Problem(other, Manifest((A, 1))));
    }
}
