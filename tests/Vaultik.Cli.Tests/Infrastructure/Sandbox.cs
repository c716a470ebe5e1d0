namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// One isolated Vaultik set-up for a test: its own HOME, an identity made by <c>vaultik keygen</c>, a config
/// made by <c>vaultik init</c> (selected through VAULTIK_CONFIG), a store and an index.
/// </summary>
public sealed class Sandbox : IDisposable
{
    private Sandbox(TempDir dir, string storageUrl)
    {
        Dir = dir;
        Cli = new CliRunner(dir.Combine("home"));
        ConfigPath = dir.Combine("config.yml");
        StorePath = dir.Combine("store");
        IdentityPath = dir.Combine("key.txt");
        StorageUrl = storageUrl.Replace("{store}", StorePath, StringComparison.Ordinal);
        Cli.Environment["VAULTIK_CONFIG"] = ConfigPath;
        Cli.Environment["VAULTIK_INDEX_PATH"] = dir.Combine("index.sqlite");
    }

    public TempDir Dir { get; }

    public CliRunner Cli { get; }

    public string ConfigPath { get; }

    public string StorePath { get; }

    public string StorageUrl { get; }

    public string IdentityPath { get; }

    public string PublicKey { get; private set; } = string.Empty;

    /// <summary>Source trees go here.</summary>
    public string Source => Dir.Combine("src");

    public static async Task<Sandbox> CreateAsync(string storageUrl = "file://{store}", string? s3Endpoint = null)
    {
        var sandbox = new Sandbox(new TempDir(), storageUrl);
        var keygen = await sandbox.Cli.RunAsync("keygen", "-o", sandbox.IdentityPath);
        Assert.True(keygen.ExitCode == 0, keygen.ToString());
        sandbox.PublicKey = keygen.StdOut.Trim();
        string[] initArgs = ["init", "--storage", sandbox.StorageUrl, "--recipient", sandbox.PublicKey];
        var init = await sandbox.Cli.RunAsync(s3Endpoint is null ? initArgs : [.. initArgs, "--s3-endpoint", s3Endpoint]);
        Assert.True(init.ExitCode == 0, init.ToString());
        Directory.CreateDirectory(sandbox.Source);
        return sandbox;
    }

    public Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync(args);

    /// <summary>Runs a command and asserts its exit code, showing all output when it differs.</summary>
    public async Task<CliResult> RunOkAsync(int expectedExit, params string[] args)
    {
        var result = await Cli.RunAsync(args);
        Assert.True(result.ExitCode == expectedExit, $"vaultik {string.Join(' ', args)}: expected exit {expectedExit}\n{result}");
        return result;
    }

    /// <summary>Where a source path ends up inside a restore target (absolute path without its leading '/').</summary>
    public static string Restored(string target, string sourcePath) => Path.Combine(target, sourcePath.TrimStart('/'));

    public void Dispose() => Dir.Dispose();

    /// <summary>
    /// A second host on the same store: its own config (this one's with <c>hostname: host-a</c> replaced by
    /// <paramref name="host"/>), HOME and index.
    /// </summary>
    public CliRunner SecondHost(string host)
    {
        var config = Dir.Combine($"{host}.yml");
        File.WriteAllText(config, File.ReadAllText(ConfigPath).Replace("hostname: host-a", $"hostname: {host}", StringComparison.Ordinal));
        var cli = new CliRunner(Dir.Combine($"home-{host}"));
        cli.Environment["VAULTIK_CONFIG"] = config;
        cli.Environment["VAULTIK_INDEX_PATH"] = Dir.Combine($"index-{host}.sqlite");
        return cli;
    }
}
