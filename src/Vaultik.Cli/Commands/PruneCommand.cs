using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Layout;
using Vaultik.Core.Locking;
using Vaultik.Core.Prune;

namespace Vaultik.Cli.Commands;

/// <summary><c>vaultik prune [--dry-run] [--yes] [--json]</c>: delete blobs no snapshot references (no key needed).</summary>
internal static class PruneCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var dryRun = ManagementOptions.DryRun();
        var yes = ManagementOptions.Yes();
        var breakLock = ManagementOptions.BreakLock();
        var grace = ManagementOptions.Grace();
        var command = new Command("prune", "Delete blobs that no complete snapshot references (older than the grace period)");
        foreach (var option in new Option[] { dryRun, yes, breakLock, grace })
        {
            command.Options.Add(option);
        }

        verbs.Bind(command, async (ctx, ct) =>
        {
            var store = await ctx.OpenFirstWrittenAsync([StoreLayout.MetadataPrefix], ct).ConfigureAwait(false);
            var locks = ManagementOptions.Locks(ctx, store);
            await ManagementOptions.BreakStaleLocksAsync(locks, ctx.Parse.GetValue(breakLock), ct).ConfigureAwait(false);
            var pruner = new Pruner(store, ManagementOptions.GracePeriod(ctx, grace));
            var result = await RunAsync(ctx, pruner, locks, ctx.Parse.GetValue(dryRun), ctx.Parse.GetValue(yes), ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.PruneJson));
            }

            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }

    /// <summary>Runs Core's prune, showing the plan and asking for confirmation (or --yes) before anything is deleted.</summary>
    private static async Task<PruneJson> RunAsync(CliContext ctx, Pruner pruner, StoreLockManager locks, bool dryRun, bool yes, CancellationToken ct)
    {
        var declined = false;
        var outcome = await pruner.RunAsync(locks, dryRun, plan =>
        {
            Show(ctx, plan);
            declined = !Confirmation.Ask(ctx, $"delete {plan.BlobsToDelete.Count} blobs and free {Format.Bytes(plan.BytesToFree)}?", yes);
            return !declined;
        }, ct).ConfigureAwait(false);
        if (dryRun || outcome.Plan.IsEmpty)
        {
            // Core asks for approval only when there is something to carry out: show the plan here instead.
            Show(ctx, outcome.Plan);
            return ToJson(outcome.Plan, dryRun, execution: null);
        }

        if (declined || outcome.Execution is null)
        {
            // Nothing was deleted, which is what a dry run reports.
            return ToJson(outcome.Plan, dryRun: true, execution: null);
        }

        ShowPruned(ctx, outcome.Plan, outcome.Execution);
        return ToJson(outcome.Plan, dryRun: false, outcome.Execution);
    }

    /// <summary>Prints a prune plan (text output only); also used by <c>snapshot purge</c> for the prune after it.</summary>
    internal static void Show(CliContext ctx, PrunePlan plan)
    {
        if (ctx.Json || ctx.Quiet)
        {
            return;
        }

        ctx.Out.WriteLine($"referenced: {plan.BlobsReferenced} blobs ({Format.Bytes(plan.BytesReferenced)})");
        ctx.Out.WriteLine($"unreferenced, to delete: {plan.BlobsToDelete.Count} blobs, {plan.MetadataToDelete.Count} metadata objects of incomplete snapshots ({Format.Bytes(plan.BytesToFree)})");
        if (plan.BlobsKeptForGrace > 0)
        {
            ctx.Out.WriteLine($"unreferenced but younger than the grace period, kept: {plan.BlobsKeptForGrace} blobs");
        }

        ShowRetained(ctx, plan.Retained);
    }

    /// <summary>Prints the objects Object Lock kept from being deleted, one line each (text output only).</summary>
    internal static void ShowRetained(CliContext ctx, IEnumerable<RetainedObject> retained)
    {
        if (ctx.Json || ctx.Quiet)
        {
            return;
        }

        var list = retained.ToList();
        if (list.Count > 0)
        {
            ctx.Out.WriteLine($"retained by Object Lock, kept: {list.Count} objects");
        }

        foreach (var item in list)
        {
            ctx.Out.WriteLine($"retained {TerminalText.Escape(item.Key)} until {(item.RetainUntil is { } until ? Format.Utc(until) : "a date the store did not give")}");
        }
    }

    /// <summary>
    /// Prints what a carried-out prune deleted (nothing for an empty plan, which deleted nothing), and the objects
    /// the store refused to delete because Object Lock retains them (beyond those the plan already showed).
    /// </summary>
    internal static void ShowPruned(CliContext ctx, PrunePlan plan, PruneExecution? execution)
    {
        if (execution is null || ctx.Json || ctx.Quiet)
        {
            return;
        }

        ShowRetained(ctx, execution.Retained.Skip(plan.Retained.Count));
        if (!plan.IsEmpty)
        {
            ctx.Out.WriteLine($"pruned {execution.BlobsDeleted} blobs and {execution.MetadataDeleted} metadata objects, freed {Format.Bytes(execution.Freed)}");
        }
    }

    internal static PruneJson ToJson(PrunePlan plan, bool dryRun, PruneExecution? execution) => new(
        dryRun, execution?.BlobsDeleted ?? 0, execution?.MetadataDeleted ?? 0, execution?.Freed ?? 0, plan.BlobsKeptForGrace, plan.BlobsReferenced, plan.BytesReferenced,
        Retained(execution?.Retained ?? plan.Retained));

    internal static List<RetainedJson> Retained(IEnumerable<RetainedObject> retained) => retained.Select(r => new RetainedJson(r.Key, r.RetainUntil)).ToList();
}
