using System.CommandLine;

namespace Vaultik.Cli.Docs;

/// <summary>
/// One command of the tree with its full path ("vaultik snapshot create"), the options it accepts (its own and the
/// recursive ones of its ancestors, hidden ones left out), and its visible subcommands.
/// </summary>
internal sealed record CommandNode(string Path, Command Command, IReadOnlyList<Option> Options, IReadOnlyList<Command> Subcommands)
{
    /// <summary>The words after "vaultik", e.g. ["snapshot", "create"]; empty for the root.</summary>
    public IReadOnlyList<string> Words => Path.Split(' ').Skip(1).ToArray();

    /// <summary>The man page name: "vaultik" for the root, else "vaultik-snapshot-create".</summary>
    public string PageName => Path.Replace(' ', '-');

    /// <summary>True when the command takes positional arguments (completed as file names).</summary>
    public bool HasArguments => Command.Arguments.Any(a => !a.Hidden);

    /// <summary>The first paragraph of the description (the root's also carries the exit-code table).</summary>
    public string Summary => (Command.Description ?? string.Empty).Split("\n\n")[0].ReplaceLineEndings(" ").Trim();
}
