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

    public static Option<bool> BreakLock() => new("--break-lock") { Description = "First remove stale locks: released or expired ones, and those of this host's runs that are no longer running" };

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

    /// <summary>The store locks of prune and purge: this host's name, <c>lock_lifetime</c>, and removals reported on stderr.</summary>
    public static StoreLockManager Locks(CliContext ctx, IObjectStore store) =>
        new(store, CliContext.Hostname(ctx.Config), ctx.Config.LockLifetime, ctx.Info);

    /// <summary>With --break-lock, first removes stale locks (each is reported by <see cref="Locks"/>'s log).</summary>
    public static async Task BreakStaleLocksAsync(StoreLockManager locks, bool breakLock, CancellationToken ct)
    {
        if (breakLock)
        {
            await locks.BreakStaleAsync(ct).ConfigureAwait(false);
        }
    }
}
