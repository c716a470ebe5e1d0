using Vaultik.Core.Config;
using Vaultik.Age;
using Vaultik.Core.Create;

namespace Vaultik.Core.Tests.Create;

public sealed class SnapshotJobsTests
{
    private static VaultikConfig Config(string extra = "") => ConfigLoader.Parse(
        $"age_recipients: [{X25519Identity.Generate().Recipient}]\nsnapshots:\n  etc:\n    paths: [/etc]\n  tmp:\n    paths: [/tmp]\n{extra}", "c.yml");

    [Fact]
    public void Paths_make_one_ad_hoc_job_and_no_paths_every_configured_one()
    {
        var config = Config();
        var adhoc = Assert.Single(SnapshotJobs.Plan(config, ["/tmp"], null, ["*.x"], "/tmp/t"));
        Assert.Equal("adhoc", adhoc.Name);
        Assert.Contains("*.x", adhoc.Excludes);
        Assert.Equal(["etc", "tmp"], SnapshotJobs.Plan(config, [], null, [], "/tmp/t").Select(j => j.Name));
        Assert.Equal("tmp", Assert.Single(SnapshotJobs.Plan(config, [], "tmp", [], "/tmp/t")).Name);
    }

    [Theory]
    [InlineData("", "/nonexistent/path", null, "cannot back up /nonexistent/path")]
    [InlineData("", "--bogus", null, "unknown option")]
    [InlineData("", null, "nosuch", "no such snapshot")]
    [InlineData("", null, "bad name!", "snapshot name")]
    [InlineData("chunk_min_size: 1MiB\nchunk_avg_size: 32MiB\nchunk_max_size: 64MiB\n", "/tmp", null, "FastCDC")]
    public void Bad_requests_are_configuration_errors(string extra, string? path, string? name, string message)
    {
        var ex = Assert.Throws<ConfigurationException>(() => SnapshotJobs.Plan(Config(extra), path is null ? [] : [path], name, [], "/tmp/t"));
        Assert.Contains(message, ex.Message);
    }
}
