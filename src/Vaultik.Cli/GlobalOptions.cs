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

    public static readonly Option<int?> LimitUpload = Limit("--limit-upload", "Upload at most this many KiB/s, all transfers together (0: unlimited; overrides limit_upload)");

    public static readonly Option<int?> LimitDownload = Limit("--limit-download", "Download at most this many KiB/s, all transfers together (0: unlimited; overrides limit_download)");

    public static IEnumerable<Option> All => [Config, Quiet, Verbose, Cron, NoColor, LimitUpload, LimitDownload];

    private static Option<int?> Limit(string name, string description) => new(name)
    {
        Description = description,
        Recursive = true,
        HelpName = "KIB",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var kib))
            {
                return kib;
            }

            result.AddError($"cannot use {name} '{text}': a bandwidth limit is a whole number of KiB/s, 0 or more");
            return null;
        },
    };
}
