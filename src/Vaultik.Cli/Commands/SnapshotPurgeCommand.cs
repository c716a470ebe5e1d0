using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Config;
using Vaultik.Core.Prune;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik snapshot purge (--keep-latest | --older-than D | --keep-* N) [--name NAME] [--dry-run] [--yes]</c>:
/// removes snapshots by retention rules, then prunes what only they used. No key needed.
/// </summary>
internal static class SnapshotPurgeCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var keepLatest = new Option<bool>("--keep-latest") { Description = "Keep only the newest snapshot of each name (per host)" };
        var olderThan = new Option<string?>("--older-than") { Description = "Remove snapshots older than this: 12h, 30d, 2w, 6m (months), 1y" };
        var name = new Option<string?>("--name", "-n") { Description = "Only snapshots with this name" };
        var keeps = new[] { "last", "hourly", "daily", "weekly", "monthly", "yearly" }
            .Select(k => new Option<int>($"--keep-{k}") { Description = $"Keep the newest snapshot of each of the last N {(k == "last" ? "snapshots" : k + " periods")}" })
            .ToArray();
        var dryRun = ManagementOptions.DryRun();
        var yes = ManagementOptions.Yes();
        var breakLock = ManagementOptions.BreakLock();
        var grace = ManagementOptions.Grace();
        var command = new Command("purge", "Remove snapshots by retention rules, then prune their unreferenced blobs");
        foreach (var option in new Option[] { keepLatest, olderThan, name, dryRun, yes, breakLock, grace }.Concat(keeps))
        {
            command.Options.Add(option);
        }

        verbs.Bind(command, async (ctx, ct) =>
        {
            var policy = Policy(ctx, keepLatest, olderThan, keeps);
            var store = ctx.OpenStore();
            var locks = ManagementOptions.Locks(ctx, store);
            await ManagementOptions.BreakStaleLocksAsync(locks, ctx.Parse.GetValue(breakLock), ct).ConfigureAwait(false);
            var purger = new Purger(store, locks);
            var plan = await purger.PlanAsync(policy, ctx.Parse.GetValue(name), DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
            if (!ctx.Json && !ctx.Quiet)
            {
                foreach (var m in plan.Remove)
                {
                    ctx.Out.WriteLine($"remove {TerminalText.Escape(m.Id)}");
                }

                ctx.Out.WriteLine($"{plan.Remove.Count} snapshots to remove, {plan.Keep.Count} to keep");
            }

            var gracePeriod = ManagementOptions.GracePeriod(ctx, grace);
            var isDry = ctx.Parse.GetValue(dryRun);
            if (isDry || plan.IsEmpty || !Confirmation.Ask(ctx, $"remove {plan.Remove.Count} snapshots?", ctx.Parse.GetValue(yes)))
            {
                var preview = new PruneJson(true, 0, 0, 0, 0, 0, 0);
                Print(ctx, new PurgeJson(true, plan.Remove.Select(m => m.Id).ToList(), plan.Keep.Select(m => m.Id).ToList(), preview));
                return ExitCodes.Success;
            }

            var outcome = await purger.ExecuteAsync(plan, gracePeriod, prune => PruneCommand.Show(ctx, prune), ct).ConfigureAwait(false);
            PruneCommand.ShowPruned(ctx, outcome.Prune, outcome.BytesFreed);
            Print(ctx, new PurgeJson(false, plan.Remove.Select(m => m.Id).ToList(), plan.Keep.Select(m => m.Id).ToList(), PruneCommand.ToJson(outcome.Prune, dryRun: false, outcome.BytesFreed)));
            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }

    private static void Print(CliContext ctx, PurgeJson result)
    {
        if (ctx.Json)
        {
            ctx.Out.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.PurgeJson));
        }
    }

    private static RetentionPolicy Policy(CliContext ctx, Option<bool> keepLatest, Option<string?> olderThan, Option<int>[] keeps)
    {
        TimeSpan? age = null;
        if (ctx.Parse.GetValue(olderThan) is { } text)
        {
            try
            {
                age = DurationParser.ParseAge(text);
            }
            catch (FormatException ex)
            {
                throw new ConfigurationException($"cannot use --older-than: {ex.Message}", ex);
            }
        }

        var values = keeps.Select(k => ctx.Parse.GetValue(k)).ToArray();
        if (values.Any(v => v < 0))
        {
            throw new ConfigurationException("cannot use a negative --keep-* count");
        }

        var policy = new RetentionPolicy
        {
            KeepLast = Math.Max(values[0], ctx.Parse.GetValue(keepLatest) ? 1 : 0),
            KeepHourly = values[1],
            KeepDaily = values[2],
            KeepWeekly = values[3],
            KeepMonthly = values[4],
            KeepYearly = values[5],
            OlderThan = age,
        };
        return policy.IsEmpty
            ? throw new ConfigurationException("cannot purge: give --keep-latest, --older-than DURATION or a --keep-* N rule")
            : policy;
    }
}
