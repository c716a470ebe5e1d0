using System.CommandLine;
using Vaultik.Cli.Docs;

namespace Vaultik.Cli.Commands;

/// <summary><c>vaultik completion bash|zsh|fish</c>: the shell's completion script, generated from the command tree.</summary>
internal static class CompletionCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var shell = new Argument<string>("shell") { Description = "The shell: bash, zsh or fish" };
        shell.Validators.Add(result =>
        {
            var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (value is not ("bash" or "zsh" or "fish"))
            {
                result.AddError($"cannot write a completion script for '{value}': the shells are bash, zsh and fish");
            }
        });
        var command = new Command("completion", "Print the shell completion script for bash, zsh or fish on stdout");
        command.Arguments.Add(shell);
        verbs.Bind(command, (ctx, _) =>
        {
            var nodes = CommandTree.Flatten(ctx.Parse.RootCommandResult.Command);
            var script = ctx.Parse.GetValue(shell) switch
            {
                "zsh" => ZshCompletion.Generate(nodes),
                "fish" => FishCompletion.Generate(nodes),
                _ => BashCompletion.Generate(nodes),
            };
            ctx.Out.Write(script);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
