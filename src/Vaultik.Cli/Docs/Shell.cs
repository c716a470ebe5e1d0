namespace Vaultik.Cli.Docs;

/// <summary>Quoting for the generated shell scripts (bash, zsh and fish all read '…' literally).</summary>
internal static class Shell
{
    /// <summary>Single-quoted for bash and zsh: a ' inside becomes '\''.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Single-quoted for fish, where \ and ' are escaped with a backslash inside '…'.</summary>
    public static string FishQuote(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
