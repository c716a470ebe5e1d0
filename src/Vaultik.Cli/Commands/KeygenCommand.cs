using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Age;

namespace Vaultik.Cli.Commands;

/// <summary><c>vaultik keygen [-o FILE]</c>: a new X25519 identity in age-keygen's format.</summary>
internal static class KeygenCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the identity to FILE (mode 0600; never overwritten) instead of stdout" };
        var command = new Command("keygen", "Generate an age X25519 identity (private key) and print its public key");
        command.Options.Add(output);
        verbs.Bind(command, (ctx, _) =>
        {
            var path = ctx.Parse.GetValue(output);
            var identity = X25519Identity.Generate();
            var publicKey = identity.Recipient.ToString();
            if (path is null)
            {
                AgeKeyFile.Write(ctx.Out, identity, DateTimeOffset.UtcNow);
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
