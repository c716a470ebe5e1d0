using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Restore;
using Vaultik.Core.Snapshots;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik restore &lt;snapshot-id|latest&gt; &lt;target-dir&gt; [PATH…] [--identity FILE] [--overwrite]</c>.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var snapshot = new Argument<string>("SNAPSHOT") { Description = "Snapshot id, or 'latest'" };
        var target = new Argument<string>("TARGET") { Description = "Directory to restore into (created if missing; must be empty unless --overwrite)" };
        var paths = new Argument<string[]>("PATH") { Description = "Restore only these paths (a directory restores its subtree)", Arity = ArgumentArity.ZeroOrMore };
        var identity = new Option<string?>("--identity", "-i") { Description = "age identity file (default: $VAULTIK_AGE_SECRET_KEY)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Restore into a non-empty directory, replacing what is in the way" };
        var name = new Option<string?>("--name", "-n") { Description = "With 'latest': the latest snapshot of this name" };
        var concurrency = new Option<int>("--concurrency") { Description = "Blobs fetched at once", DefaultValueFactory = _ => 4 };
        var command = new Command("restore", "Restore a snapshot (needs the private key)");
        command.Arguments.Add(snapshot);
        command.Arguments.Add(target);
        command.Arguments.Add(paths);
        command.Options.Add(identity);
        command.Options.Add(overwrite);
        command.Options.Add(name);
        command.Options.Add(concurrency);
        verbs.Bind(command, async (ctx, ct) =>
        {
            var identities = ctx.LoadIdentities(ctx.Parse.GetValue(identity));
            var store = ctx.OpenStore();
            var manifest = await new SnapshotCatalog(store).ResolveAsync(ctx.Parse.GetValue(snapshot)!, ctx.Parse.GetValue(name), null, ct).ConfigureAwait(false);
            var targetDir = Path.GetFullPath(ctx.Parse.GetValue(target)!);
            var options = new RestoreOptions(targetDir, ctx.Parse.GetValue(paths) ?? [], ctx.Parse.GetValue(overwrite))
            {
                Concurrency = Math.Clamp(ctx.Parse.GetValue(concurrency), 1, 64),
            };
            var work = Directory.CreateTempSubdirectory("vaultik-restore-").FullName;
            try
            {
                var dbPath = await MetadataDownloader.DownloadAsync(store, manifest, identities, work, ct).ConfigureAwait(false);
                using var db = new SnapshotDatabase(dbPath);
                var stats = new RestoreStats();
                RestoreResult result;
                await using (ProgressLine.Start(ctx.Progress, ctx.Err.Raw, () => $"restoring: {stats.Files} files, {Format.Bytes(stats.BytesWritten)} of {Format.Bytes(stats.BytesTotal)}"))
                {
                    result = await new Restorer(store, identities).RestoreAsync(db, options, stats, ctx.Err.Error, ct).ConfigureAwait(false);
                }

                if (ctx.Json)
                {
                    ctx.Out.WriteLine(JsonSerializer.Serialize(
                        new RestoreJson(manifest.Id, targetDir, stats.Files, stats.Directories, stats.Symlinks, stats.BytesWritten, stats.BytesFetched, stats.BlobsRead,
                            Math.Round(stats.Duration.TotalSeconds, 3), result.Errors),
                        CliJsonContext.Default.RestoreJson));
                }
                else if (!ctx.Quiet)
                {
                    ctx.Out.WriteLine($"restored snapshot {manifest.Id} into {targetDir}");
                    ctx.Out.WriteLine($"  {stats.Files} files, {stats.Directories} directories, {stats.Symlinks} symlinks; {Format.Bytes(stats.BytesWritten)} written, {Format.Bytes(stats.BytesFetched)} fetched from {stats.BlobsRead} blobs in {Format.Duration(stats.Duration)} ({Format.Rate(stats.BytesWritten, stats.Duration)})");
                    if (result.Errors.Count > 0)
                    {
                        ctx.Out.WriteLine($"  {result.Errors.Count} entries could not be restored (see errors above)");
                    }
                }

                return result.ExitCode;
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }, hasJson: true);
        return command;
    }
}
