using System.CommandLine;

namespace Vaultik.Cli;

/// <summary>Options every verb accepts (declared once, recursive from the root).</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "Config file (default: $VAULTIK_CONFIG, else ~/.config/vaultik/config.yml)",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print only warnings and errors",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print more detail, including stack traces of errors",
        Recursive = true,
    };

    public static readonly Option<bool> Cron = new("--cron")
    {
        Description = "Silent on success; on failure a short summary on stderr and the exit code",
        Recursive = true,
    };

    public static readonly Option<bool> NoColor = new("--no-color")
    {
        Description = "Never use colour (also honours NO_COLOR)",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Config, Quiet, Verbose, Cron, NoColor];
}
