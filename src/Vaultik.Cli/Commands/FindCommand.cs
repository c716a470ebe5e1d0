using System.CommandLine;
using Vaultik.Cli.Output;
using Vaultik.Core.Catalog;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;
using Vaultik.Core.Search;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik find GLOB… [--snapshot ID]… [--host H] [--name N] [--newer T] [--older T] [--identity FILE] [--json]</c>:
/// the paths matching the globs in every listed snapshot (or those named), each with its history.
/// </summary>
internal static class FindCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var globs = new Argument<string[]>("GLOB") { Description = "Patterns, with the exclude rules (README \"Excludes\"), against the stored absolute paths", Arity = ArgumentArity.OneOrMore };
        var snapshot = new Option<string[]>("--snapshot", "-s") { Description = "Search only this snapshot (an id, or 'latest'; repeatable)" };
        var host = new Option<string?>("--host") { Description = "Only snapshots of this host" };
        var name = new Option<string?>("--name", "-n") { Description = "Only snapshots with this name" };
        var newer = new Option<string?>("--newer") { Description = "Only snapshots made after T (an age: 12h, 30d; or an ISO 8601 date or time)" };
        var older = new Option<string?>("--older") { Description = "Only snapshots made before T (an age: 12h, 30d; or an ISO 8601 date or time)" };
        var identity = new Option<string?>("--identity", "-i") { Description = "age identity file (default: $VAULTIK_AGE_SECRET_KEY)" };
        var command = new Command("find", "Search snapshots for paths matching globs, with each path's history");
        command.Arguments.Add(globs);
        foreach (var option in new Option[] { snapshot, host, name, newer, older, identity })
        {
            command.Options.Add(option);
        }

        verbs.Bind(command, async (ctx, ct) =>
        {
            var glob = new FindGlob(ctx.Parse.GetValue(globs) ?? []);
            var now = DateTimeOffset.UtcNow;
            var after = ctx.Parse.GetValue(newer) is { } n ? SnapshotTime.Parse(n, "--newer", now) : (DateTimeOffset?)null;
            var before = ctx.Parse.GetValue(older) is { } o ? SnapshotTime.Parse(o, "--older", now) : (DateTimeOffset?)null;
            var identities = ctx.LoadIdentities(ctx.Parse.GetValue(identity));
            var store = await ctx.OpenFirstWrittenAsync([StoreLayout.BlobsPrefix, StoreLayout.MetadataPrefix], ct).ConfigureAwait(false);
            var snapshots = await ChooseAsync(ctx, store, ctx.Parse.GetValue(snapshot) ?? [], ctx.Parse.GetValue(host), ctx.Parse.GetValue(name), ct).ConfigureAwait(false);
            snapshots = snapshots.Where(m => (after is null || m.Created > after) && (before is null || m.Created < before)).ToList();
            using var run = RunDirectory.Create("find", ctx.Err.Warning);
            var cache = new MetadataCache(store, identities, ctx.Config.CacheMode, CacheDirectory.For(ctx.Config.IndexPath), run.Path, ctx.Err.Warning);
            var finder = new SnapshotFinder(cache, glob);
            FindSummary summary;
            if (ctx.Json)
            {
                using var json = new FindJsonSink(run.Path, snapshots);
                summary = await finder.RunAsync(snapshots, run.Path, json, ct).ConfigureAwait(false);
                json.Finish(summary, ctx.BinaryOut);
            }
            else
            {
                summary = await finder.RunAsync(snapshots, run.Path, new FindTextSink(ctx.Out), ct).ConfigureAwait(false);
                ctx.Info($"{summary.Matches} matches of {summary.Paths} paths in {summary.SnapshotsSearched} snapshots ({summary.FromCache} from the local metadata cache)");
            }

            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }

    /// <summary>The named snapshots (each resolved as restore resolves it), or every listed one; with the host and name filters; oldest first.</summary>
    private static async Task<List<SnapshotManifest>> ChooseAsync(
        CliContext ctx, Vaultik.Core.Integrity.FirstWrittenView store, string[] ids, string? host, string? name, CancellationToken ct)
    {
        List<SnapshotManifest> chosen;
        if (ids.Length > 0)
        {
            chosen = [];
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                chosen.Add(await SnapshotChoice.ResolveAsync(ctx, store, id, name, host, [], ct).ConfigureAwait(false));
            }

            return chosen.Where(m => (host is null || m.Hostname == host) && (name is null || m.Name == name))
                .DistinctBy(m => m.Id).OrderBy(m => m.Created).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
        }

        var entries = await new SnapshotCatalog(store, store.Tampered).EntriesAsync(ct).ConfigureAwait(false);
        return SnapshotCatalog.Listed(entries, host, name).Select(e => e.Manifest!).ToList();
    }
}
