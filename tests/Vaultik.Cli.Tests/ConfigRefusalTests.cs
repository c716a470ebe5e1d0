using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Configurations refused before anything is written (exit 2): a private key where a recipient belongs (never
/// echoed), and a hostname or snapshot name that would make the snapshot id unparsable.
/// </summary>
public sealed class ConfigRefusalTests
{
    private static string Secret(Sandbox box) =>
        File.ReadAllLines(box.IdentityPath).Single(l => l.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal));

    private static void AssertNoSecret(CliResult result, string secret)
    {
        foreach (var output in new[] { result.StdOut, result.StdErr })
        {
            Assert.DoesNotContain(secret, output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret[16..40], output, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_private_key_given_to_init_as_a_recipient_is_refused_without_printing_it()
    {
        using var box = await Sandbox.CreateAsync();
        var secret = Secret(box);
        File.Delete(box.ConfigPath);
        foreach (var key in new[] { secret, secret.ToLowerInvariant(), secret[..^1] + "x" })
        {
            var result = await box.RunOkAsync(2, "init", "--storage", box.StorageUrl, "--recipient", box.PublicKey, "--recipient", key);
            AssertNoSecret(result, secret);
            Assert.Contains("cannot use --recipient #2: it is a private key (AGE-SECRET-KEY-…); give its public key, age1…", result.StdErr);
            Assert.Single(result.StdErr.Trim().Split('\n'));
            Assert.False(File.Exists(box.ConfigPath));
        }
    }

    [Fact]
    public async Task A_private_key_in_the_config_age_recipients_is_refused_without_printing_it()
    {
        using var box = await Sandbox.CreateAsync();
        var secret = Secret(box);
        var config = File.ReadAllText(box.ConfigPath);
        File.WriteAllText(box.ConfigPath, config.Replace(box.PublicKey, $"{box.PublicKey}\n  - {secret}", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        foreach (var args in new[] { new[] { "snapshot", "create", box.Source }, ["snapshot", "list"], ["restore", "latest", box.Dir.Combine("r"), "-i", box.IdentityPath] })
        {
            var result = await box.RunOkAsync(2, args);
            AssertNoSecret(result, secret);
            Assert.Contains("cannot use age_recipients[1]: it is a private key (AGE-SECRET-KEY-…); give its public key, age1…", result.StdErr);
            Assert.Single(result.StdErr.Trim().Split('\n'));
        }

        AssertStoreEmpty(box);
    }

    [Fact]
    public async Task A_hostname_too_long_for_a_snapshot_id_is_a_configuration_error_before_anything_is_written()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        var config = File.ReadAllText(box.ConfigPath);
        File.WriteAllText(box.ConfigPath, config + $"\nhostname: {new string('h', 180)}\n");
        var result = await box.RunOkAsync(2, "snapshot", "create", box.Source);
        Assert.Contains("cannot use hostname", result.StdErr);
        Assert.Contains("longer than the 200", result.StdErr);
        Assert.Single(result.StdErr.Trim().Split('\n'));
        AssertStoreEmpty(box);

        // A hostname that fits with the configured names but not with a long --name given on the command line.
        File.WriteAllText(box.ConfigPath, config + $"\nhostname: {new string('h', 120)}\n");
        var named = await box.RunOkAsync(2, "snapshot", "create", box.Source, "--name", new string('n', 60));
        Assert.Contains($"cannot use snapshot name '{new string('n', 60)}'", named.StdErr);
        AssertStoreEmpty(box);
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", new string('n', 50));

        // A configured snapshot whose name does not fit with the hostname.
        File.WriteAllText(box.ConfigPath, config + $"\nhostname: {new string('h', 120)}\nsnapshots:\n  {new string('s', 60)}:\n    paths: [{box.Source}]\n");
        var configured = await box.RunOkAsync(2, "snapshot", "create");
        Assert.Contains("cannot use hostname", configured.StdErr);
    }

    private static void AssertStoreEmpty(Sandbox box) =>
        Assert.False(Directory.Exists(box.StorePath) && Directory.EnumerateFiles(box.StorePath, "*", SearchOption.AllDirectories).Any(), "nothing may be written to the store");
}
