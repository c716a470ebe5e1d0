using System.CommandLine;

namespace Vaultik.Cli.Docs;

/// <summary>Flattens a System.CommandLine tree into <see cref="CommandNode"/>s, depth first, root first.</summary>
internal static class CommandTree
{
    public static IReadOnlyList<CommandNode> Flatten(Command root)
    {
        var nodes = new List<CommandNode>();
        Walk(root, root.Name, [], nodes);
        return nodes;
    }

    private static void Walk(Command command, string path, IReadOnlyList<Option> inherited, List<CommandNode> nodes)
    {
        var own = command.Options.Where(o => !o.Hidden).ToList();
        var options = own.Concat(inherited.Where(i => !own.Any(o => o.Name == i.Name))).ToList();
        var subcommands = command.Subcommands.Where(c => !c.Hidden).ToList();
        nodes.Add(new CommandNode(path, command, options, subcommands));
        var passedOn = inherited.Concat(own.Where(o => o.Recursive)).ToList();
        foreach (var sub in subcommands)
        {
            Walk(sub, path + " " + sub.Name, passedOn, nodes);
        }
    }
}
