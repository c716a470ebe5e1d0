using System.CommandLine;
using Vaultik.Core;
using Vaultik.Core.Config;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik init [--storage URL] [--recipient age1…|age1pq1…]… [--pq] [--force]</c>: writes a config file.
/// Without a recipient it generates an identity first (post-quantum with --pq) and uses its public key.
/// </summary>
internal static class InitCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var storage = new Option<string?>("--storage") { Description = "Storage URL: file:///path or s3://bucket/prefix (default: a local store under ~/.local/share/vaultik)" };
        var recipients = new Option<string[]>("--recipient", "-r") { Description = "age public key (age1… or post-quantum age1pq1…) to encrypt to; repeatable", AllowMultipleArgumentsPerToken = false };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing config file" };
        var endpoint = new Option<string?>("--s3-endpoint") { Description = "Endpoint URL of an S3-compatible service (Ceph, MinIO, R2, B2); omit for AWS" };
        var pq = new Option<bool>("--pq") { Description = "Without --recipient: generate a hybrid post-quantum identity (age1pq1…) instead of an X25519 one" };
        var command = new Command("init", "Write a config file");
        command.Options.Add(storage);
        command.Options.Add(recipients);
        command.Options.Add(force);
        command.Options.Add(endpoint);
        command.Options.Add(pq);
        verbs.Bind(command, (ctx, ct) =>
        {
            var keys = ctx.Parse.GetValue(recipients) ?? [];
            if (keys.Length > 0 && ctx.Parse.GetValue(pq))
            {
                throw new ConfigurationException("cannot use --pq with --recipient: --pq only chooses the kind of identity init generates (give age1pq1… recipients directly)");
            }

            for (var i = 0; i < keys.Length; i++)
            {
                if (!RecipientText.TryParse(keys[i], out _, out var reason))
                {
                    throw new ConfigurationException($"cannot use --recipient #{i + 1}: {reason}");
                }
            }

            if (RecipientText.MixingProblem(keys) is { } mixing)
            {
                throw new ConfigurationException($"cannot use these --recipient keys together: {mixing}");
            }

            var path = ctx.ConfigPath;
            if (File.Exists(path) && !ctx.Parse.GetValue(force))
            {
                throw new ConfigurationException($"cannot write config {path}: the file already exists (use --force to overwrite)");
            }

            if (keys.Length == 0)
            {
                keys = [FirstRun.CreateIdentity(ctx, ctx.Parse.GetValue(pq))];
            }

            var url = ctx.Parse.GetValue(storage) ?? ConfigPaths.DefaultStorageUrl();
            ConfigWriter.Write(path, keys, url, force: ctx.Parse.GetValue(force), s3Endpoint: ctx.Parse.GetValue(endpoint));
            var config = ConfigLoader.Load(path);
            ctx.Info($"wrote config {path} (store {config.StorageUrl})");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
