using System.CommandLine;
using System.Text;

namespace Vaultik.Cli.Docs;

/// <summary>
/// man(7) pages from the command tree: vaultik.1 (every command, the global options, the exit codes) and one page
/// per command below it, vaultik-snapshot-create.1 and so on (synopsis, description, arguments, options).
/// </summary>
internal static class ManPages
{
    /// <summary>Each page's file name ("vaultik-snapshot-create.1") and text.</summary>
    public static IReadOnlyList<(string FileName, string Text)> Generate(IReadOnlyList<CommandNode> nodes, string version, string exitCodes)
    {
        var pages = new List<(string, string)>();
        foreach (var node in nodes)
        {
            pages.Add((node.PageName + ".1", Page(node, nodes, version, exitCodes)));
        }

        return pages;
    }

    private static string Page(CommandNode node, IReadOnlyList<CommandNode> nodes, string version, string exitCodes)
    {
        var s = new StringBuilder();
        var root = node.Words.Count == 0;
        s.Append(".TH ").Append(Roff.Escape(node.PageName.ToUpperInvariant())).Append(" 1 \"\" \"").Append(Roff.Escape(version)).Append("\" \"Vaultik Manual\"\n");
        s.Append(".SH NAME\n").Append(Roff.Escape(node.PageName)).Append(" \\- ").Append(Roff.Escape(node.Summary)).Append('\n');
        s.Append(".SH SYNOPSIS\n.B ").Append(Roff.Escape(node.Path)).Append('\n');
        var synopsis = new List<string>();
        if (node.Options.Count > 0)
        {
            synopsis.Add("[OPTIONS]");
        }

        if (node.Subcommands.Count > 0)
        {
            synopsis.Add("COMMAND");
        }

        synopsis.AddRange(node.Command.Arguments.Where(a => !a.Hidden).Select(ArgumentName));
        s.Append(Roff.Escape(string.Join(' ', synopsis))).Append('\n');
        s.Append(".SH DESCRIPTION\n").Append(Roff.Escape(node.Summary)).Append('\n');
        if (node.Subcommands.Count > 0)
        {
            s.Append(".SH COMMANDS\n");
            foreach (var child in nodes.Where(n => n.Words.Count > node.Words.Count && n.Path.StartsWith(node.Path + " ", StringComparison.Ordinal)))
            {
                s.Append(".TP\n.B ").Append(Roff.Escape(child.Path)).Append('\n').Append(Roff.Escape(child.Summary))
                    .Append(" See \\fB").Append(Roff.Escape(child.PageName)).Append("\\fR(1).\n");
            }
        }

        var arguments = node.Command.Arguments.Where(a => !a.Hidden).ToList();
        if (arguments.Count > 0)
        {
            s.Append(".SH ARGUMENTS\n");
            foreach (var argument in arguments)
            {
                s.Append(".TP\n.I ").Append(Roff.Escape(ArgumentName(argument))).Append('\n').Append(Roff.Escape(argument.Description ?? string.Empty)).Append('\n');
            }
        }

        if (node.Options.Count > 0)
        {
            s.Append(".SH OPTIONS\n");
            foreach (var option in node.Options)
            {
                var value = OptionFacts.TakesValue(option) ? " \\fI" + Roff.Escape(OptionFacts.ValueName(option)) + "\\fR" : string.Empty;
                s.Append(".TP\n").Append(string.Join(", ", OptionFacts.Names(option).Select(n => "\\fB" + Roff.Escape(n) + "\\fR"))).Append(value).Append('\n');
                var values = OptionFacts.Values(option);
                var extra = values.Count > 0 ? " One of: " + string.Join(", ", values) + "." : string.Empty;
                s.Append(Roff.Escape(OptionFacts.Description(option) + extra)).Append('\n');
            }
        }

        s.Append(".SH EXIT STATUS\n");
        foreach (var line in exitCodes.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && char.IsDigit(l[0])))
        {
            var split = line.IndexOf(' ', StringComparison.Ordinal);
            s.Append(".TP\n.B ").Append(Roff.Escape(line[..split])).Append('\n').Append(Roff.Escape(line[split..].Trim())).Append('\n');
        }

        s.Append(".SH SEE ALSO\n");
        var related = root ? nodes.Skip(1).Where(n => n.Words.Count == 1).Select(n => n.PageName) : ["vaultik"];
        s.Append(string.Join(",\n", related.Select(p => "\\fB" + Roff.Escape(p) + "\\fR(1)"))).Append('\n');
        return s.ToString();
    }

    private static string ArgumentName(Argument argument) =>
        (string.IsNullOrEmpty(argument.HelpName) ? argument.Name : argument.HelpName).ToUpperInvariant()
        + (argument.Arity.MaximumNumberOfValues > 1 ? "..." : string.Empty);
}
