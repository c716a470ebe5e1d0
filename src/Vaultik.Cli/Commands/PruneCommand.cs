using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
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
            var store = ctx.OpenStore();
            await ManagementOptions.BreakStaleLocksAsync(ctx, store, ctx.Parse.GetValue(breakLock), ct).ConfigureAwait(false);
            var pruner = new Pruner(store, ManagementOptions.GracePeriod(ctx, grace));
            var result = await RunAsync(ctx, store, pruner, ctx.Parse.GetValue(dryRun), ctx.Parse.GetValue(yes), ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.PruneJson));
            }

            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }

    /// <summary>Takes the exclusive lock (unless dry-running), then plans, shows, confirms and carries out a prune.</summary>
    private static async Task<PruneJson> RunAsync(CliContext ctx, Core.Storage.IObjectStore store, Pruner pruner, bool dryRun, bool yes, CancellationToken ct)
    {
        HeldLock? ownLock = null;
        try
        {
            if (!dryRun)
            {
                ownLock = await new StoreLockManager(store, CliContext.Hostname(ctx.Config)).AcquireExclusiveAsync(ct).ConfigureAwait(false);
            }

            var plan = await pruner.PlanAsync(ct).ConfigureAwait(false);
            Show(ctx, plan);
            if (dryRun || plan.IsEmpty)
            {
                return ToJson(plan, dryRun, freed: 0);
            }

            if (!Confirmation.Ask(ctx, $"delete {plan.BlobsToDelete.Count} blobs and free {Format.Bytes(plan.BytesToFree)}?", yes))
            {
                // Declined: nothing was deleted, which is what a dry run reports.
                return ToJson(plan, dryRun: true, freed: 0);
            }

            var freed = await pruner.ExecuteAsync(plan, ct).ConfigureAwait(false);
            ShowPruned(ctx, plan, freed);

            return ToJson(plan, dryRun: false, freed);
        }
        finally
        {
            if (ownLock is not null)
            {
                await ownLock.DisposeAsync().ConfigureAwait(false);
            }
        }
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
    }

    /// <summary>Prints what a carried-out prune deleted (nothing for an empty plan, which deleted nothing).</summary>
    internal static void ShowPruned(CliContext ctx, PrunePlan plan, long freed)
    {
        if (!plan.IsEmpty && !ctx.Json && !ctx.Quiet)
        {
            ctx.Out.WriteLine($"pruned {plan.BlobsToDelete.Count} blobs and {plan.MetadataToDelete.Count} metadata objects, freed {Format.Bytes(freed)}");
        }
    }

    internal static PruneJson ToJson(PrunePlan plan, bool dryRun, long freed) => new(
        dryRun, dryRun ? 0 : plan.BlobsToDelete.Count, dryRun ? 0 : plan.MetadataToDelete.Count, freed, plan.BlobsKeptForGrace, plan.BlobsReferenced, plan.BytesReferenced);
}
