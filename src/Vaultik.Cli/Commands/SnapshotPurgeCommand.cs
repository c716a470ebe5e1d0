using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Config;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Core.Prune;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik snapshot purge (--keep-latest | --older-than D | --keep-within D | --keep-tag TAG | --keep-* N) [--name NAME] [--host HOST] [--tag TAG]… [--dry-run] [--yes]</c>:
/// removes snapshots by retention rules (by the store's clock), then prunes what only they used. Suspect
/// snapshots are reported and left alone. No key needed.
/// </summary>
internal static class SnapshotPurgeCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var keepLatest = new Option<bool>("--keep-latest") { Description = "Keep only the newest snapshot of each name (per host)" };
        var olderThan = new Option<string?>("--older-than") { Description = "Remove snapshots older than this: 12h, 30d, 2w, 6m (months), 1y" };
        var name = new Option<string?>("--name", "-n") { Description = "Only snapshots with this name" };
        var host = new Option<string?>("--host") { Description = "Only snapshots of this host" };
        var tag = SnapshotChoice.Tags("Only snapshots carrying this tag (repeatable: every given tag); others are neither kept nor removed");
        var keepWithin = new Option<string?>("--keep-within") { Description = "Keep every snapshot written within this of the newest of its name (per host): 36h, 30d, 6m, 1y" };
        var keepTag = new Option<string[]>("--keep-tag") { Description = "Keep every snapshot carrying this tag (repeatable: any given tag)" };
        var keeps = new[] { "last", "hourly", "daily", "weekly", "monthly", "yearly" }
            .Select(k => new Option<int>($"--keep-{k}") { Description = $"Keep the newest snapshot of each of the last N {(k == "last" ? "snapshots" : k + " periods")}" })
            .ToArray();
        var dryRun = ManagementOptions.DryRun();
        var yes = ManagementOptions.Yes();
        var breakLock = ManagementOptions.BreakLock();
        var grace = ManagementOptions.Grace();
        var command = new Command("purge", "Remove snapshots by retention rules, then prune their unreferenced blobs");
        foreach (var option in new Option[] { keepLatest, olderThan, name, host, tag, keepWithin, keepTag, dryRun, yes, breakLock, grace }.Concat(keeps))
        {
            command.Options.Add(option);
        }

        verbs.Bind(command, async (ctx, ct) =>
        {
            var policy = Policy(ctx, keepLatest, olderThan, keeps) with
            {
                KeepWithin = Age(ctx, keepWithin, "--keep-within"),
                KeepTags = SnapshotTags.Normalize(ctx.Parse.GetValue(keepTag) ?? [], "--keep-tag"),
            };
            if (policy.IsEmpty)
            {
                throw new ConfigurationException("cannot purge: give --keep-latest, --older-than DURATION, --keep-within DURATION, --keep-tag TAG or a --keep-* N rule");
            }

            var tags = SnapshotChoice.TagValues(ctx, tag);
            var store = await ctx.OpenFirstWrittenAsync([StoreLayout.MetadataPrefix], ct).ConfigureAwait(false);
            var locks = ManagementOptions.Locks(ctx, store);
            await ManagementOptions.BreakStaleLocksAsync(locks, ctx.Parse.GetValue(breakLock), ct).ConfigureAwait(false);
            var purger = new Purger(store, locks);
            var plan = await purger.PlanAsync(policy, ctx.Parse.GetValue(name), ctx.Parse.GetValue(host), tags, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
            var gracePeriod = ManagementOptions.GracePeriod(ctx, grace);
            var isDry = ctx.Parse.GetValue(dryRun);
            var held = await purger.FindRetainedAsync(plan, ct).ConfigureAwait(false);
            ShowPlan(ctx, plan, held);
            if (isDry || plan.IsEmpty || !Confirmation.Ask(ctx, $"remove {plan.Remove.Count - held.Count} snapshots?", ctx.Parse.GetValue(yes)))
            {
                var preview = new PruneJson(true, 0, 0, 0, 0, 0, 0, []);
                Print(ctx, Json(dryRun: true, plan, held, preview));
                return ExitCodes.Success;
            }

            var outcome = await purger.ExecuteAsync(plan, gracePeriod, prune => PruneCommand.Show(ctx, prune), ct).ConfigureAwait(false);
            ShowHeld(ctx, outcome.RetainedSnapshots.Where(r => !held.Any(h => h.Id == r.Id)).ToList()); // those found only while removing
            PruneCommand.ShowPruned(ctx, outcome.Prune, outcome.Execution);
            Print(ctx, Json(dryRun: false, plan, outcome.RetainedSnapshots, PruneCommand.ToJson(outcome.Prune, dryRun: false, outcome.Execution)));
            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }

    private static List<PurgeSuspectJson> Suspects(PurgePlan plan) => plan.Suspect.Select(s => new PurgeSuspectJson(s.Id, s.Reason ?? string.Empty)).ToList();

    /// <summary>The planned removals, leaving out (and naming) the snapshots Object Lock keeps.</summary>
    private static void ShowPlan(CliContext ctx, PurgePlan plan, IReadOnlyList<RetainedSnapshot> held)
    {
        if (ctx.Json || ctx.Quiet)
        {
            return;
        }

        var retainedIds = held.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var m in plan.Remove.Where(m => !retainedIds.Contains(m.Id)))
        {
            ctx.Out.WriteLine($"remove {TerminalText.Escape(m.Id)}");
        }

        ShowHeld(ctx, held);
        foreach (var s in plan.Suspect)
        {
            ctx.Out.WriteLine($"suspect, left alone {TerminalText.Escape(s.Id)}: {TerminalText.Escape(s.Reason ?? string.Empty)}");
        }

        ctx.Out.WriteLine($"{plan.Remove.Count - held.Count} snapshots to remove, {plan.Keep.Count} to keep"
            + (held.Count > 0 ? $", {held.Count} retained by Object Lock" : string.Empty)
            + (plan.Suspect.Count > 0 ? $", {plan.Suspect.Count} suspect left alone" : string.Empty));
    }

    /// <summary>One line per snapshot kept whole because Object Lock retains its manifest or metadata.</summary>
    internal static void ShowHeld(CliContext ctx, IReadOnlyList<RetainedSnapshot> held)
    {
        if (ctx.Json || ctx.Quiet)
        {
            return;
        }

        foreach (var snapshot in held)
        {
            var until = snapshot.Objects.Select(o => o.RetainUntil).Max();
            ctx.Out.WriteLine($"retained {TerminalText.Escape(snapshot.Id)} (kept: Object Lock retains it until {(until is { } u ? Format.Utc(u) : "a date the store did not give")})");
        }
    }

    private static PurgeJson Json(bool dryRun, PurgePlan plan, IReadOnlyList<RetainedSnapshot> held, PruneJson prune)
    {
        var retainedIds = held.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        return new PurgeJson(
            dryRun,
            plan.Remove.Select(m => m.Id).Where(id => !retainedIds.Contains(id)).ToList(),
            plan.Keep.Select(m => m.Id).ToList(),
            held.Select(h => h.Id).ToList(),
            PruneCommand.Retained(held.SelectMany(h => h.Objects)),
            prune,
            Suspects(plan));
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
        var age = Age(ctx, olderThan, "--older-than");

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
        return policy;
    }

    /// <summary>A retention age option (months as 30 days, years as 365), or null when not given.</summary>
    private static TimeSpan? Age(CliContext ctx, Option<string?> option, string flag)
    {
        if (ctx.Parse.GetValue(option) is not { } text)
        {
            return null;
        }

        try
        {
            return DurationParser.ParseAge(text);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException($"cannot use {flag}: {ex.Message}", ex);
        }
    }
}
