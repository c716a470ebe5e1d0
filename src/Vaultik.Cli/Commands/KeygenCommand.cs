using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;

namespace Vaultik.Cli.Commands;

/// <summary><c>vaultik keygen [-o FILE] [--pq]</c>: a new X25519 (or, with --pq, hybrid post-quantum) identity in age-keygen's format.</summary>
internal static class KeygenCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the identity to FILE (mode 0600; never overwritten) instead of stdout" };
        var pq = new Option<bool>("--pq") { Description = "Generate a hybrid post-quantum identity (ML-KEM-768 + X25519, AGE-SECRET-KEY-PQ-1…, public key age1pq1…)" };
        var command = new Command("keygen", "Generate an age identity (private key; X25519, or post-quantum with --pq) and print its public key");
        command.Options.Add(output);
        command.Options.Add(pq);
        verbs.Bind(command, (ctx, _) =>
        {
            var path = ctx.Parse.GetValue(output);
            var (identity, publicKey) = IdentityFiles.Generate(ctx.Parse.GetValue(pq));
            if (path is null)
            {
                IdentityFiles.Write(ctx.Out, identity, DateTimeOffset.UtcNow);
                ctx.Info($"Public key: {publicKey}");
                return Task.FromResult(ExitCodes.Success);
            }

            IdentityFiles.WriteNew(path, identity);
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new KeygenJson(publicKey, Path.GetFullPath(path)), CliJsonContext.Default.KeygenJson));
            }
            else
            {
                ctx.Out.WriteLine(publicKey);
                ctx.Info($"wrote identity {Path.GetFullPath(path)}; keep it off the backed-up host");
            }

            return Task.FromResult(ExitCodes.Success);
        }, hasJson: true);
        return command;
    }
}
