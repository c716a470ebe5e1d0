using System.CommandLine;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Diff;
using Vaultik.Core.Layout;
using Vaultik.Core.Platform;
using Vaultik.Core.Search;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik diff SNAPSHOT_A SNAPSHOT_B [PATH] [--json]</c> and <c>vaultik diff SNAPSHOT --local [PATH] [--json]</c>:
/// added, removed and changed entries, each change named, between two snapshots or a snapshot and the live file system.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var args = new Argument<string[]>("SNAPSHOT") { Description = "SNAPSHOT_A SNAPSHOT_B [PATH], or with --local SNAPSHOT [PATH] (ids, or 'latest')", Arity = new ArgumentArity(1, 3) };
        var local = new Option<bool>("--local") { Description = "Compare the snapshot with the live file system at the same paths" };
        var identity = new Option<string?>("--identity", "-i") { Description = "age identity file (default: $VAULTIK_AGE_SECRET_KEY)" };
        var name = new Option<string?>("--name", "-n") { Description = "With 'latest': the latest snapshot of this name" };
        var host = SnapshotChoice.Host();
        var command = new Command("diff", "Show what was added, removed and changed between two snapshots, or a snapshot and the file system");
        command.Arguments.Add(args);
        foreach (var option in new Option[] { local, identity, name, host })
        {
            command.Options.Add(option);
        }

        verbs.Bind(command, async (ctx, ct) =>
        {
            var values = ctx.Parse.GetValue(args) ?? [];
            var isLocal = ctx.Parse.GetValue(local);
            if (isLocal ? values.Length > 2 : values.Length < 2)
            {
                throw new ConfigurationException(isLocal
                    ? "cannot diff: with --local give one SNAPSHOT and at most one PATH"
                    : "cannot diff: give two snapshots (SNAPSHOT_A SNAPSHOT_B [PATH]), or one with --local");
            }

            var path = values.Length > (isLocal ? 1 : 2) ? values[^1] : null;
            if (path is not null && !path.StartsWith('/'))
            {
                path = isLocal ? Path.GetFullPath(path) : throw new ConfigurationException($"cannot diff: PATH {path} must be absolute, as it was backed up");
            }

            // Stored form: the absolute path without its leading '/' ("/" itself: everything).
            path = path is null ? null : Vaultik.Core.Restore.PathRules.NormalizeSelector(path);

            var identities = ctx.LoadIdentities(ctx.Parse.GetValue(identity));
            var store = await ctx.OpenFirstWrittenAsync([StoreLayout.BlobsPrefix, StoreLayout.MetadataPrefix], ct).ConfigureAwait(false);
            var first = await SnapshotChoice.ResolveAsync(ctx, store, values[0], ctx.Parse.GetValue(name), ctx.Parse.GetValue(host), [], ct).ConfigureAwait(false);
            var second = isLocal ? null : await SnapshotChoice.ResolveAsync(ctx, store, values[1], ctx.Parse.GetValue(name), ctx.Parse.GetValue(host), [], ct).ConfigureAwait(false);
            using var run = RunDirectory.Create("diff", ctx.Err.Warning);
            var cache = new MetadataCache(store, identities, ctx.Config.CacheMode, CacheDirectory.For(ctx.Config.IndexPath), run.Path, ctx.Err.Warning);
            using var a = await cache.OpenAsync(first, ct).ConfigureAwait(false);
            using var b = second is null ? null : await cache.OpenAsync(second, ct).ConfigureAwait(false);
            using var json = ctx.Json ? new DiffJsonSink(run.Path) : null;
            IDiffSink sink = json is not null ? json : new DiffTextSink(ctx.Out);
            var (summary, filesRead) = b is null
                ? SnapshotDiff.Local(a.Reader, path, sink, ctx.Err.Warning, ct)
                : (SnapshotDiff.Snapshots(a.Reader, b.Reader, path, sink, ct), 0L);
            if (json is not null)
            {
                json.Finish(summary, filesRead, ctx.BinaryOut);
            }
            else
            {
                ctx.Out.WriteLine(DiffTextSink.Summary(summary));
            }

            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }
}
