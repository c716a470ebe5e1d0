using System.Text;
using Vaultik.Core.Config;
using Vaultik.Tests.Fuzz;

namespace Vaultik.Core.Tests.Fuzz;

/// <summary>ConfigLoader.Parse (YAML, then every typed key) on mutated configs.</summary>
public sealed class ConfigFuzzTests
{
    private static readonly FuzzTarget Target = new("config", input => ConfigLoader.Parse(Encoding.UTF8.GetString(input), "fuzz.yml"), typeof(ConfigurationException));

    private static readonly IReadOnlyList<byte[]> Corpus =
    [
        FuzzFiles.CorpusFile("config", "written.yml", () => Encoding.UTF8.GetBytes(ConfigWriter.Render([FuzzKeys.Identity.Recipient.ToString()], "file:///tmp/store"))),
        FuzzFiles.CorpusFile("config", "full.yml", () => Encoding.UTF8.GetBytes(
            ConfigWriter.Render([FuzzKeys.Identity.Recipient.ToString(), FuzzKeys.Other.Recipient.ToString()], "s3://bucket/prefix") +
            "snapshots:\n  home:\n    paths: [/home/me, \"/srv/a b\"]\n    exclude: ['*.tmp', '**/cache']\n  etc:\n    paths:\n      - /etc\n" +
            "s3:\n  region: eu-west-1\n  endpoint: http://127.0.0.1:7480\nblob_size_limit: 1GiB\n")),
    ];

    public static IEnumerable<object[]> Regressions => FuzzFiles.RegressionNames(Target.Parser);

    [Fact(Timeout = 60_000)]
    public async Task Mutated_configs_fail_only_as_configuration_errors()
    {
        await Task.Yield();
        FuzzRun.Run(Target, Corpus, seed: 31, iterations: 10_000);
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Saved_case_keeps_its_contract(string name) => FuzzRun.Replay(Target, name);
}
