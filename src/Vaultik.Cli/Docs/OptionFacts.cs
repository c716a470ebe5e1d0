using System.CommandLine;
using System.CommandLine.Completions;

namespace Vaultik.Cli.Docs;

/// <summary>What the generators need to know about one option, read from the option itself.</summary>
internal static class OptionFacts
{
    /// <summary>The name and aliases, long ones first: "--quiet", "-q" (the Windows-style "/h" and "/?" of --help left out).</summary>
    public static IReadOnlyList<string> Names(Option option) =>
        new[] { option.Name }.Concat(option.Aliases).Where(n => n.StartsWith('-')).Distinct().OrderByDescending(n => n.StartsWith("--", StringComparison.Ordinal)).ThenBy(n => n, StringComparer.Ordinal).ToArray();

    /// <summary>True when the option is followed by a value (a bool option is a flag).</summary>
    public static bool TakesValue(Option option) =>
        option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0;

    /// <summary>The values the option accepts when they are a fixed set (an enumeration or AcceptOnlyFromAmong), else none.</summary>
    public static IReadOnlyList<string> Values(Option option) =>
        TakesValue(option)
            ? option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).Where(l => l.Length > 0).Distinct().ToArray()
            : [];

    /// <summary>The placeholder shown for the option's value, e.g. "KIB" or "VALUE".</summary>
    public static string ValueName(Option option) =>
        string.IsNullOrEmpty(option.HelpName) ? "VALUE" : option.HelpName.ToUpperInvariant();

    public static string Description(Option option) => (option.Description ?? string.Empty).ReplaceLineEndings(" ").Trim();
}
