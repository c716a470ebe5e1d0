using Vaultik.Core.Config;
using Vaultik.Age;

namespace Vaultik.Cli.Commands;

/// <summary>
/// Zero-configuration set-up: on the first <c>snapshot create</c> with no config file, generate an identity
/// and a config that encrypts to it and stores into the default local store, and say loudly where the
/// private key is and that it belongs off the host.
/// </summary>
internal static class FirstRun
{
    public static bool IsNeeded(CliContext ctx) => ctx.ConfigOption is null
        && Environment.GetEnvironmentVariable("VAULTIK_CONFIG") is null
        && !File.Exists(ctx.ConfigPath);

    public static void SetUp(CliContext ctx)
    {
        var recipient = CreateIdentity(ctx);
        ConfigWriter.Write(ctx.ConfigPath, [recipient], ConfigPaths.DefaultStorageUrl(), force: false);
        ctx.Err.Info($"first run: wrote config {ctx.ConfigPath} (store {ConfigPaths.DefaultStorageUrl()})");
    }

    /// <summary>Generates the default identity file (or reuses it) and returns its public key.</summary>
    public static string CreateIdentity(CliContext ctx)
    {
        var path = ConfigPaths.DefaultIdentityFile();
        if (File.Exists(path))
        {
            var existing = AgeKeyFile.Load(path).OfType<X25519Identity>().First();
            ctx.Err.Info($"using the existing identity {path}");
            return existing.Recipient.ToString();
        }

        var identity = X25519Identity.Generate();
        IdentityFiles.WriteNew(path, identity);
        ctx.Err.Info($"generated identity (PRIVATE KEY) {path}");
        ctx.Err.Info("  move it off this host for real use: it alone can decrypt your backups; the host needs only the public key");
        ctx.Err.Info($"  public key: {identity.Recipient}");
        return identity.Recipient.ToString();
    }
}
