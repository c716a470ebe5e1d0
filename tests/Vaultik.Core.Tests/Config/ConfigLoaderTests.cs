using Vaultik.Core.Config;
using Vaultik.Age;

namespace Vaultik.Core.Tests.Config;

public sealed class ConfigLoaderTests
{
    private static readonly string Recipient = X25519Identity.Generate().Recipient.ToString();

    private static VaultikConfig Parse(string yaml) => ConfigLoader.Parse(yaml, "config.yml");

    [Fact]
    public void Defaults_are_applied_and_paths_expanded()
    {
        var config = Parse($"age_recipients: [{Recipient}]\nstorage_url: file://~/backups\nsnapshots:\n  home:\n    paths: [~/docs]\n    exclude: ['*.tmp']\n");
        Assert.Equal(3, config.CompressionLevel);
        Assert.Equal(Vaultik.Core.Packing.ChunkCompression.Auto, config.Compression);
        Assert.Equal(1L << 30, config.BlobSizeLimit);
        Assert.Equal(1L << 20, config.ChunkAvgSize);
        Assert.True(config.OneFileSystem);
        Assert.Equal(TimeSpan.FromHours(24), config.PruneGracePeriod);
        Assert.Equal("file://" + ConfigPaths.Home + "/backups", config.StorageUrl);
        Assert.Equal(ConfigPaths.Home + "/docs", config.Snapshots.Single().Paths.Single());
        Assert.Equal("when_required", config.S3.RequestChecksum);
    }

    [Theory]
    [InlineData("storag_url: x", "config.yml:2: unknown key 'storag_url'")]
    [InlineData("blob_size_limit: 12 parsecs", "'12 parsecs' is not a size")]
    [InlineData("compression: fast", "config.yml:2: compression: 'fast' must be auto, max or off")]
    [InlineData("compression: [auto]", "config.yml:2: compression: must be a single value")]
    [InlineData("compression_level: 30", "compression_level: '30' is not a whole number from 1 to 19")]
    [InlineData("chunk_min_size: 8MiB", "config.yml:2: chunk_min_size: must be at most chunk_avg_size")]
    [InlineData("backup_interval: soon", "backup_interval")]
    [InlineData("snapshots:\n  home:\n    exclude: [x]", "snapshots.home.paths: at least one path is required")]
    [InlineData("snapshots:\n  home:\n    paths: [relative/path]", "is not an absolute path")]
    [InlineData("s3:\n  request_checksum: sometimes", "s3.request_checksum")]
    [InlineData("s3:\n  timeout: 0s", "s3.timeout: must be at least 1s")]
    [InlineData("s3:\n  timeout: whenever", "s3.timeout")]
    [InlineData("storage_url: ftp://x", "is not a storage URL")]
    [InlineData("one_file_system: maybe", "'maybe' is not true or false")]
    [InlineData("hostname: a\nhostname: b", "config.yml:3: invalid YAML: Duplicate key")]
    [InlineData("age_recipients: [x", "invalid YAML")]
    public void Bad_values_are_reported_with_file_line_and_key(string extra, string message)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse($"age_recipients: [{Recipient}]\n{extra}\n"));
        Assert.Contains(message, ex.Message);
        Assert.StartsWith("config.yml", ex.Message);
        Assert.IsType<ConfigurationException>(ex, exactMatch: true);
    }

    [Theory]
    [InlineData("auto", Vaultik.Core.Packing.ChunkCompression.Auto)]
    [InlineData("max", Vaultik.Core.Packing.ChunkCompression.Max)]
    [InlineData("off", Vaultik.Core.Packing.ChunkCompression.Off)]
    public void Compression_takes_auto_max_or_off(string value, Vaultik.Core.Packing.ChunkCompression expected) =>
        Assert.Equal(expected, Parse($"age_recipients: [{Recipient}]\ncompression: {value}\n").Compression);

    [Theory]
    [InlineData("storage_url: file:///x")]
    [InlineData("age_recipients: []")]
    [InlineData("age_recipients: [age1notavalidkey]")]
    public void Recipients_are_required_and_checked(string yaml) =>
        Assert.Contains("age_recipients", Assert.Throws<ConfigurationException>(() => Parse(yaml)).Message);

    [Fact]
    public void Post_quantum_recipients_are_accepted_but_not_mixed_with_classic_ones()
    {
        var pq = MlKem768X25519Identity.Generate().Recipient.ToString();
        var other = MlKem768X25519Identity.Generate().Recipient.ToString();
        Assert.Equal([pq, other], Parse($"age_recipients: [{pq}, {other}]\n").AgeRecipients);
        Assert.IsType<MlKem768X25519Recipient>(RecipientText.Parse(pq, "x"));
        Assert.IsType<X25519Recipient>(RecipientText.Parse(Recipient, "x"));
        var mixed = Assert.Throws<ConfigurationException>(() => Parse($"age_recipients: [{pq}, {Recipient}]\n"));
        Assert.Contains("config.yml:1: age_recipients: post-quantum (age1pq1…) and classic (age1…) recipients cannot be mixed", mixed.Message);
        Assert.Contains("not a valid age post-quantum public key", Assert.Throws<ConfigurationException>(() => Parse($"age_recipients: [{pq[..^1]}]\n")).Message);
        Assert.Contains("it is a private key", Assert.Throws<ConfigurationException>(() => Parse($"age_recipients: [{MlKem768X25519Identity.Generate()}]\n")).Message);
    }

    [Fact]
    public void The_writer_round_trips_through_the_loader_with_mode_0600()
    {
        var dir = Directory.CreateTempSubdirectory("vaultik-config-").FullName;
        try
        {
            var path = Path.Combine(dir, "sub", "config.yml");
            ConfigWriter.Write(path, [Recipient], "s3://bucket/prefix", force: false, s3Endpoint: "http://127.0.0.1:7480");
            var config = ConfigLoader.Load(path);
            Assert.Equal("s3://bucket/prefix", config.StorageUrl);
            Assert.Equal("http://127.0.0.1:7480", config.S3.Endpoint);
            Assert.Equal(Recipient, config.AgeRecipients.Single());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Throws<ConfigurationException>(() => ConfigWriter.Write(path, [Recipient], "file:///x", force: false));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("512", 512L)]
    [InlineData("1KiB", 1024L)]
    [InlineData("1.5GiB", 1610612736L)]
    [InlineData("2MB", 2000000L)]
    [InlineData("3 GiB", 3221225472L)]
    public void Sizes_parse(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text));

    [Theory]
    [InlineData("15m", 15 * 60)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("2w", 14 * 86400)]
    [InlineData("1h30m", 5400)]
    public void Intervals_parse_with_m_as_minutes(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), DurationParser.Parse(text));

    [Theory]
    [InlineData("6m", 180)]
    [InlineData("1y", 365)]
    [InlineData("30d", 30)]
    [InlineData("2mo", 60)]
    public void Retention_ages_read_m_as_months(string text, int days) => Assert.Equal(TimeSpan.FromDays(days), DurationParser.ParseAge(text));
}
