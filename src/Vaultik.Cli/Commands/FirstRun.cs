using Vaultik.Core;
using Vaultik.Core.Config;

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

    /// <summary>Writes the first config, encrypting to a new (or the existing default) identity; post-quantum with <paramref name="pq"/>.</summary>
    public static void SetUp(CliContext ctx, bool pq = false)
    {
        var recipient = CreateIdentity(ctx, pq);
        ConfigWriter.Write(ctx.ConfigPath, [recipient], ConfigPaths.DefaultStorageUrl(), force: false);
        ctx.Err.Info($"first run: wrote config {ctx.ConfigPath} (store {ConfigPaths.DefaultStorageUrl()})");
    }

    /// <summary>
    /// Generates the default identity file (post-quantum with <paramref name="pq"/>, as <c>init --pq</c> and
    /// <c>snapshot create --pq</c> on a first run ask; X25519 otherwise) or reuses the one there, and returns its public key. An
    /// existing X25519 file is not reused when a post-quantum identity was asked for.
    /// </summary>
    public static string CreateIdentity(CliContext ctx, bool pq = false)
    {
        var path = ConfigPaths.DefaultIdentityFile();
        if (File.Exists(path))
        {
            var existing = IdentityFiles.PublicKeyOf(path);
            if (pq && !existing.StartsWith(RecipientText.PostQuantumPrefix, StringComparison.Ordinal))
            {
                throw new ConfigurationException($"cannot use --pq: the existing identity {path} is an X25519 key (move it away first, or pass --recipient age1pq1…)");
            }

            ctx.Err.Info($"using the existing identity {path}");
            return existing;
        }

        var (identity, publicKey) = IdentityFiles.Generate(pq);
        IdentityFiles.WriteNew(path, identity);
        ctx.Err.Info($"generated {(pq ? "post-quantum " : string.Empty)}identity (PRIVATE KEY) {path}");
        ctx.Err.Info("  move it off this host for real use: it alone can decrypt your backups; the host needs only the public key");
        ctx.Err.Info($"  public key: {publicKey}");
        return publicKey;
    }
}
