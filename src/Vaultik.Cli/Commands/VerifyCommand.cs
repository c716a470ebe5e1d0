using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Verify;
using Vaultik.Core.Catalog;
using Vaultik.Core.Layout;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik verify [--deep] [--sample PERCENT] [--identity FILE] [--json]</c> and
/// <c>vaultik snapshot verify &lt;ID|latest&gt; [--deep] [--identity FILE] [--json]</c>. Exit 5 on any problem.
/// </summary>
internal static class VerifyCommand
{
    public static Command CreateStoreWide(VerbFactory verbs)
    {
        var command = new Command("verify", "Check every snapshot's blobs exist (and with --deep, are intact)");
        var sample = new Option<double>("--sample") { Description = "With --deep, download only this percentage of blobs, chosen at random", DefaultValueFactory = _ => 100 };
        command.Options.Add(sample);
        Bind(verbs, command, null, sample);
        return command;
    }

    public static Command CreateForSnapshot(VerbFactory verbs)
    {
        var command = new Command("verify", "Check one snapshot's blobs exist (and with --deep, are intact)");
        var id = new Argument<string>("SNAPSHOT") { Description = "Snapshot id, or 'latest'" };
        command.Arguments.Add(id);
        Bind(verbs, command, id, null);
        return command;
    }

    private static void Bind(VerbFactory verbs, Command command, Argument<string>? id, Option<double>? sample)
    {
        var deep = new Option<bool>("--deep") { Description = "Download every blob and check its SHA-256; with --identity also decrypt and check every chunk" };
        var identity = new Option<string?>("--identity", "-i") { Description = "age identity file: also decrypt the metadata and check it against its manifest; with --deep, every chunk too" };
        command.Options.Add(deep);
        command.Options.Add(identity);
        verbs.Bind(command, async (ctx, ct) =>
        {
            var store = await ctx.OpenFirstWrittenAsync([StoreLayout.BlobsPrefix, StoreLayout.MetadataPrefix], ct, warn: false).ConfigureAwait(false);
            var catalog = new SnapshotCatalog(store) { OnUnreadable = e => ctx.Err.Warning(TerminalText.Escape(SnapshotCatalog.SkippedWarning(e))) };
            // Every snapshot: manifest headers only, the verifier streams their blob lists; one snapshot: its whole manifest.
            var entries = id is null ? await catalog.ManifestEntriesAsync(ct).ConfigureAwait(false) : null;
            var one = id is null ? null : await catalog.ResolveAsync(ctx.Parse.GetValue(id)!, null, null, ct).ConfigureAwait(false);
            var isDeep = ctx.Parse.GetValue(deep);
            var identities = ctx.Parse.GetValue(identity) is { } file ? ctx.LoadIdentities(file) : null;
            var percent = sample is null ? 100 : ctx.Parse.GetValue(sample);
            if (percent is <= 0 or > 100)
            {
                throw new ConfigurationException("cannot use --sample: give a percentage above 0 and at most 100");
            }

            // Decrypted metadata (deep checks with a key) only in this run's private directory, removed however the run ends.
            using var run = identities is null ? null : Core.Platform.RunDirectory.Create("verify", ctx.Err.Warning);
            var verifier = new Verifier(store, store.Tampered);
            var options = new VerifyOptions(isDeep, identities, percent, run?.Path ?? string.Empty);
            var report = entries is not null
                ? await verifier.VerifyAsync(entries, options, reportStoreWide: true, ct).ConfigureAwait(false)
                : await verifier.VerifyAsync([one!], options, reportStoreWide: false, ct).ConfigureAwait(false);
            Print(ctx, report, isDeep);
            return ExitCodeMap.For(report);
        }, hasJson: true);
    }

    private static void Print(CliContext ctx, VerifyReport report, bool deep)
    {
        if (ctx.Json)
        {
            var json = new VerifyJson(report.Ok, report.SnapshotsChecked, report.BlobsChecked, report.BlobsDeepChecked, report.ChunksChecked,
                report.Problems.Select(p => new VerifyProblemJson(p.Object, p.Problem, p.Snapshots)).ToList(), report.OrphanedBlobs, report.IncompleteSnapshots);
            ctx.Out.WriteLine(JsonSerializer.Serialize(json, CliJsonContext.Default.VerifyJson));
            return;
        }

        foreach (var problem in report.Problems)
        {
            ctx.Err.Error($"{problem.Object}: {problem.Problem}{(problem.Snapshots.Count == 0 ? string.Empty : $" (needed by {string.Join(", ", problem.Snapshots)})")}");
        }

        if (report.OrphanedBlobs.Count > 0)
        {
            ctx.Err.Warning($"{report.OrphanedBlobs.Count} blobs are not referenced by any snapshot (prune removes them)");
        }

        foreach (var incomplete in report.IncompleteSnapshots)
        {
            ctx.Err.Warning($"snapshot {incomplete} is incomplete (no manifest, or its metadata object is missing or of the wrong size; prune removes it)");
        }

        if (!ctx.Quiet)
        {
            var depth = deep ? string.Create(CultureInfo.InvariantCulture, $", {report.BlobsDeepChecked} downloaded and hashed, {report.ChunksChecked} chunks decrypted") : string.Empty;
            ctx.Out.WriteLine($"{report.SnapshotsChecked} snapshots, {report.BlobsChecked} blobs checked{depth}: {(report.Problems.Count == 0 ? "no problems" : $"{report.Problems.Count} problems")}");
        }
    }
}
