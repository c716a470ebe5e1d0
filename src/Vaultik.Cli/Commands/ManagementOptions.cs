using System.CommandLine;
using Vaultik.Core;
using Vaultik.Core.Config;
using Vaultik.Core.Locking;
using Vaultik.Core.Storage;

namespace Vaultik.Cli.Commands;

/// <summary>Options and steps shared by prune and purge: confirmation, grace period, stale locks.</summary>
internal static class ManagementOptions
{
    public static Option<bool> DryRun() => new("--dry-run") { Description = "Show what would be removed; change nothing" };

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for confirmation (required when not on a terminal)" };

    public static Option<bool> BreakLock() => new("--break-lock") { Description = "First delete expired (stale) locks left by crashed runs" };

    public static Option<string?> Grace() => new("--grace-period") { Description = $"Never delete blobs younger than this (default: prune_grace_period, {ConfigDefaults.PruneGracePeriod.TotalHours:0}h)" };

    public static TimeSpan GracePeriod(CliContext ctx, Option<string?> option)
    {
        var text = ctx.Parse.GetValue(option);
        if (text is null)
        {
            return ctx.Config.PruneGracePeriod;
        }

        try
        {
            return DurationParser.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException($"cannot use --grace-period: {ex.Message}", ex);
        }
    }

    public static async Task BreakStaleLocksAsync(CliContext ctx, IObjectStore store, bool breakLock, CancellationToken ct)
    {
        if (!breakLock)
        {
            return;
        }

        var removed = await new StoreLockManager(store, CliContext.Hostname(ctx.Config)).BreakStaleAsync(ct).ConfigureAwait(false);
        foreach (var l in removed)
        {
            ctx.Info($"removed stale {l.Describe()}");
        }
    }
}
