using System.CommandLine;
using System.CommandLine.Parsing;
using Vaultik.Core;
using Vaultik.Core.Streams;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>snapshot create</c>'s stream options: <c>--stdin</c>, <c>--stdin-from-command -- CMD ARGS…</c> and
/// <c>--stdin-filename NAME</c>. Every word after <c>--</c> belongs to the command, so NAME goes before
/// <c>--</c>; when it is not given there, a command ending in <c>--stdin-filename NAME</c> (the order)
/// has those two words taken as the option.
/// </summary>
internal sealed class StreamArguments
{
    public Option<bool> Stdin { get; } = new("--stdin") { Description = "Back up standard input as one file (see --stdin-filename) in a snapshot named by --name (default: stdin)" };

    public Option<bool> FromCommand { get; } = new("--stdin-from-command") { Description = "Back up the standard output of the command given after '--'; its non-zero exit fails the snapshot" };

    public Option<string?> FileName { get; } = new("--stdin-filename") { Description = "The file name the stream is stored as (relative, default: stdin); fetch it with 'vaultik fetch latest NAME'" };

    public void AddTo(Command command)
    {
        command.Options.Add(Stdin);
        command.Options.Add(FromCommand);
        command.Options.Add(FileName);
    }

    /// <summary>The stream to back up, or null for a snapshot of paths; usage errors are <see cref="ConfigurationException"/>s.</summary>
    /// <param name="excludes">The path-selecting options given (<c>--exclude</c>, <c>--files-from</c>, the other <c>--exclude-*</c>), by name: none applies to a stream.</param>
    public StreamInput? Read(ParseResult parse, IReadOnlyList<string> paths, IReadOnlyList<string> excludes)
    {
        var stdin = parse.GetValue(Stdin);
        var fromCommand = parse.GetValue(FromCommand);
        var fileName = parse.GetValue(FileName);
        if (stdin && fromCommand)
        {
            throw new ConfigurationException("cannot use --stdin with --stdin-from-command: choose one");
        }

        if (!stdin && !fromCommand)
        {
            return fileName is null ? null : throw new ConfigurationException("cannot use --stdin-filename without --stdin or --stdin-from-command");
        }

        var option = stdin ? "--stdin" : "--stdin-from-command";
        if (excludes.Count > 0)
        {
            throw new ConfigurationException($"cannot use {excludes[0]} with {option}: a stream is stored whole");
        }

        if (stdin)
        {
            return paths.Count > 0
                ? throw new ConfigurationException($"cannot use PATH arguments with --stdin ('{paths[0]}'): it backs up standard input only")
                : new StreamInput(StreamFileName.Check(fileName ?? StreamFileName.Default, "--stdin-filename"), new StandardInputSource());
        }

        var argv = AfterDoubleDash(parse);
        if (argv.Count == 0)
        {
            throw new ConfigurationException("cannot use --stdin-from-command: give the command after '--' (vaultik snapshot create --stdin-from-command --stdin-filename NAME -- CMD ARGS…)");
        }

        if (paths.Count != argv.Count)
        {
            throw new ConfigurationException($"cannot use PATH arguments with --stdin-from-command ('{paths[0]}'): the words after '--' are the command");
        }

        if (fileName is null && argv.Count >= 3 && argv[^2] == "--stdin-filename")
        {
            fileName = argv[^1];
            argv = argv.Take(argv.Count - 2).ToList();
        }

        return new StreamInput(StreamFileName.Check(fileName ?? StreamFileName.Default, "--stdin-filename"), new CommandSource(argv));
    }

    private static List<string> AfterDoubleDash(ParseResult parse)
    {
        var tokens = parse.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.DoubleDash)
            {
                return tokens.Skip(i + 1).Select(t => t.Value).ToList();
            }
        }

        return [];
    }
}
