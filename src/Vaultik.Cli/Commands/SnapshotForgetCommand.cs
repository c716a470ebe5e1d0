using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core.Layout;
using Vaultik.Core.Prune;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik snapshot forget ID… [--dry-run] [--yes] [--json] [--break-lock] [--grace-period D]</c>: removes exactly
/// the named snapshots (complete or suspect), then prunes what only they used, like purge. Every id must be
/// listed in the store, or nothing is removed. No key needed.
/// </summary>
internal static class SnapshotForgetCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var ids = new Argument<string[]>("ID") { Description = "Snapshot ids to remove (from 'vaultik snapshot list')", Arity = ArgumentArity.OneOrMore };
        var dryRun = ManagementOptions.DryRun();
        var yes = ManagementOptions.Yes();
        var breakLock = ManagementOptions.BreakLock();
        var grace = ManagementOptions.Grace();
        var command = new Command("forget", "Remove the named snapshots, then prune their unreferenced blobs");
        command.Arguments.Add(ids);
        foreach (var option in new Option[] { dryRun, yes, breakLock, grace })
        {
            command.Options.Add(option);
        }

        verbs.Bind(command, async (ctx, ct) =>
        {
            var gracePeriod = ManagementOptions.GracePeriod(ctx, grace);
            var store = await ctx.OpenFirstWrittenAsync([StoreLayout.MetadataPrefix], ct).ConfigureAwait(false);
            var locks = ManagementOptions.Locks(ctx, store);
            var purger = new Purger(store, locks);
            var plan = await purger.PlanForgetAsync(ctx.Parse.GetValue(ids) ?? [], ct).ConfigureAwait(false);
            await ManagementOptions.BreakStaleLocksAsync(locks, ctx.Parse.GetValue(breakLock), ct).ConfigureAwait(false);
            var held = await purger.FindRetainedAsync(plan, ct).ConfigureAwait(false);
            ShowPlan(ctx, plan, held);
            var removable = plan.Remove.Count - held.Count;
            if (ctx.Parse.GetValue(dryRun) || !Confirmation.Ask(ctx, $"forget {removable} snapshot{(removable == 1 ? string.Empty : "s")}?", ctx.Parse.GetValue(yes)))
            {
                Print(ctx, Json(dryRun: true, plan, held, new PruneJson(true, 0, 0, 0, 0, 0, 0, [])));
                return ExitCodes.Success;
            }

            var outcome = await purger.ExecuteAsync(plan, gracePeriod, prune => PruneCommand.Show(ctx, prune), ct).ConfigureAwait(false);
            SnapshotPurgeCommand.ShowHeld(ctx, outcome.RetainedSnapshots.Where(r => !held.Any(h => h.Id == r.Id)).ToList()); // those found only while removing
            PruneCommand.ShowPruned(ctx, outcome.Prune, outcome.Execution);
            Print(ctx, Json(dryRun: false, plan, outcome.RetainedSnapshots, PruneCommand.ToJson(outcome.Prune, dryRun: false, outcome.Execution)));
            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }

    /// <summary>One line per named snapshot: removed, or retained by Object Lock; suspect ones say so.</summary>
    private static void ShowPlan(CliContext ctx, PurgePlan plan, IReadOnlyList<RetainedSnapshot> held)
    {
        if (ctx.Json || ctx.Quiet)
        {
            return;
        }

        var retainedIds = held.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var e in plan.Remove.Where(e => !retainedIds.Contains(e.Id)))
        {
            ctx.Out.WriteLine($"forget {TerminalText.Escape(e.Id)}{(e.IsTrusted ? string.Empty : " (suspect)")}");
        }

        SnapshotPurgeCommand.ShowHeld(ctx, held);
        ctx.Out.WriteLine($"{plan.Remove.Count - held.Count} snapshots to forget" + (held.Count > 0 ? $", {held.Count} retained by Object Lock" : string.Empty));
    }

    private static ForgetJson Json(bool dryRun, PurgePlan plan, IReadOnlyList<RetainedSnapshot> held, PruneJson prune)
    {
        var retainedIds = held.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        return new ForgetJson(
            dryRun,
            plan.Remove.Select(e => e.Id).Where(id => !retainedIds.Contains(id)).ToList(),
            held.Select(h => h.Id).ToList(),
            PruneCommand.Retained(held.SelectMany(h => h.Objects)),
            prune);
    }

    private static void Print(CliContext ctx, ForgetJson result)
    {
        if (ctx.Json)
        {
            ctx.Out.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.ForgetJson));
        }
    }
}
