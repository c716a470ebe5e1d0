using System.CommandLine;
using Vaultik.Cli.Docs;

namespace Vaultik.Cli.Commands;

/// <summary><c>vaultik man --output DIR</c>: man pages (vaultik.1 and one per command) generated from the command tree.</summary>
internal static class ManCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var output = new Option<string>("--output", "-o") { Description = "Write the pages into DIR (created when missing; pages there are replaced)", HelpName = "DIR", Required = true };
        var command = new Command("man", "Write the man pages: vaultik.1 and one page per command (vaultik-snapshot-create.1, ...)");
        command.Options.Add(output);
        verbs.Bind(command, (ctx, _) =>
        {
            var dir = ctx.Parse.GetValue(output)!;
            var nodes = CommandTree.Flatten(ctx.Parse.RootCommandResult.Command);
            var pages = ManPages.Generate(nodes, $"vaultik {VersionInfo.Version}", VaultikApp.ExitCodeHelp);
            try
            {
                Directory.CreateDirectory(dir);
                foreach (var (fileName, text) in pages)
                {
                    File.WriteAllText(Path.Combine(dir, fileName), text);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot write the man pages to {dir}: {ex.Message}", ex);
            }

            ctx.Info($"wrote {pages.Count} man pages to {Path.GetFullPath(dir)}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
