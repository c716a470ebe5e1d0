using Vaultik.Core;

namespace Vaultik.Cli;

/// <summary>Destructive verbs ask on a terminal; without one they need --yes.</summary>
internal static class Confirmation
{
    public static bool Ask(CliContext ctx, string question, bool yes)
    {
        if (yes)
        {
            return true;
        }

        if (Console.IsInputRedirected || ctx.Cron || ctx.Json)
        {
            throw new ConfigurationException($"cannot {question.TrimEnd('?')} without confirmation: not on a terminal (add --yes)");
        }

        ctx.Err.Raw.Write($"vaultik: {question} [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        return answer is "y" or "Y" or "yes";
    }
}
