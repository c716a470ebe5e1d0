using Vaultik.Core.Config;
using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Restore;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik restore &lt;snapshot-id|latest&gt; &lt;target-dir&gt; [PATH…] [--identity FILE] [--overwrite] [--no-owner] [--host HOST] [--tag TAG]…</c>.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var snapshot = new Argument<string>("SNAPSHOT") { Description = "Snapshot id, or 'latest'" };
        var target = new Argument<string>("TARGET") { Description = "Directory to restore into (created if missing; must be empty unless --overwrite)" };
        var paths = new Argument<string[]>("PATH") { Description = "Restore only these paths (a directory restores its subtree)", Arity = ArgumentArity.ZeroOrMore };
        var overwrite = new Option<bool>("--overwrite") { Description = "Restore into a non-empty directory, replacing what is in the way" };
        var concurrency = new Option<int>("--concurrency") { Description = "Blobs fetched at once", DefaultValueFactory = _ => ConfigDefaults.RestoreConcurrency };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be written and how much would be downloaded; change nothing" };
        var delete = new Option<bool>("--delete") { Description = "Remove entries under the restored paths that are not in the snapshot" };
        var verify = new Option<bool>("--verify") { Description = "Re-read every restored file and check it against the snapshot" };
        var include = new Option<string[]>("--include") { Description = "Restore only entries matching GLOB (or under a matching directory), and the directories holding them (repeatable; rules of README 'Excludes')" };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave out entries matching GLOB and everything under a matching directory (repeatable)" };
        var noOwner = new Option<bool>("--no-owner") { Description = "As root: restore as yourself (no chown) and without setuid/setgid bits; without root this is always so" };
        var chosen = new SnapshotOptions();
        var command = new Command("restore", "Restore a snapshot (needs the private key)");
        command.Arguments.Add(snapshot);
        command.Arguments.Add(target);
        command.Arguments.Add(paths);
        chosen.AddTo(command);
        command.Options.Add(overwrite);
        command.Options.Add(concurrency);
        command.Options.Add(dryRun);
        command.Options.Add(delete);
        command.Options.Add(verify);
        command.Options.Add(noOwner);
        command.Options.Add(include);
        command.Options.Add(exclude);
        command.Options.Add(ProgressJson.Option);
        verbs.Bind(command, async (ctx, ct) =>
        {
            var progressJson = ProgressJson.Requested(ctx);
            var (store, manifest, identities) = await chosen.OpenAsync(ctx, ctx.Parse.GetValue(snapshot)!, ct).ConfigureAwait(false);
            var targetDir = Path.GetFullPath(ctx.Parse.GetValue(target)!);
            var options = new RestoreOptions(targetDir, ctx.Parse.GetValue(paths) ?? [], ctx.Parse.GetValue(overwrite))
            {
                Concurrency = Math.Clamp(ctx.Parse.GetValue(concurrency), 1, ConfigDefaults.RestoreMaxConcurrency),
                DryRun = ctx.Parse.GetValue(dryRun),
                Delete = ctx.Parse.GetValue(delete),
                Verify = ctx.Parse.GetValue(verify),
                RestoreOwnership = Core.Platform.Posix.IsRoot && !ctx.Parse.GetValue(noOwner),
                Include = ctx.Parse.GetValue(include) ?? [],
                Exclude = ctx.Parse.GetValue(exclude) ?? [],
            };
            // Decrypted metadata only in this run's private directory (0700, files 0600), removed however the run ends.
            using var run = Core.Platform.RunDirectory.Create("restore", ctx.Err.Warning);
            {
                using var db = await MetadataDownloader.OpenAsync(store, manifest, identities, run.Path, ct).ConfigureAwait(false);
                var stats = new RestoreStats();
                RestoreResult result;
                await using (ProgressJson.Start(progressJson, ctx.Err.Raw, "restore", manifest.Id, () => Sample(stats)))
                await using (ProgressLine.Start(ctx.Progress, ctx.Err.Raw, () => $"restoring: {stats.Files} files, {Format.Bytes(stats.BytesWritten)} of {Format.Bytes(stats.BytesTotal)}"))
                {
                    result = await new Restorer(store, identities).RestoreAsync(db, options, stats, ctx.Err.Error, ct, ctx.Err.Warning).ConfigureAwait(false);
                }

                if (ctx.Json)
                {
                    ctx.Out.WriteLine(JsonSerializer.Serialize(
                        new RestoreJson(manifest.Id, targetDir, options.DryRun, stats.Files, stats.FilesUnchanged, stats.Directories, stats.Symlinks, stats.Deleted,
                            stats.BytesWritten, stats.BytesFetched, stats.BlobsRead, stats.BlobBytesNeeded, Math.Round(stats.Duration.TotalSeconds, 3), result.Planned, result.Errors),
                        CliJsonContext.Default.RestoreJson));
                }
                else if (options.DryRun)
                {
                    foreach (var planned in result.Planned)
                    {
                        ctx.Out.WriteLine($"would write {TerminalText.Escape(planned)}");
                    }

                    ctx.Out.WriteLine($"would write {result.Planned.Count} files ({Format.Bytes(stats.BytesTotal)}), keep {stats.FilesUnchanged} that already match, and read up to {Format.Bytes(stats.BlobBytesNeeded)} of blobs");
                }
                else if (!ctx.Quiet)
                {
                    ctx.Out.WriteLine($"restored snapshot {TerminalText.Escape(manifest.Id)} into {TerminalText.Escape(targetDir)}");
                    ctx.Out.WriteLine($"  {stats.Files} files ({stats.FilesUnchanged} already matching), {stats.Directories} directories, {stats.Symlinks} symlinks, {stats.Deleted} extra entries deleted; {Format.Bytes(stats.BytesWritten)} written, {Format.Bytes(stats.BytesFetched)} fetched from {stats.BlobsRead} blobs in {Format.Duration(stats.Duration)} ({Format.Rate(stats.BytesWritten, stats.Duration)})");
                    if (result.Warnings.Count > 0)
                    {
                        ctx.Out.WriteLine($"  {result.Warnings.Count} attributes could not be set (see warnings above)");
                    }

                    if (result.Errors.Count > 0)
                    {
                        ctx.Out.WriteLine($"  {result.Errors.Count} entries could not be restored (see errors above)");
                    }
                }

                return ExitCodeMap.For(result);
            }
        }, hasJson: true);
        return command;
    }

    /// <summary>Restore's progress: content bytes written of those the plan needs (final once planned); files finished of the files and hard links planned.</summary>
    private static ProgressSample Sample(RestoreStats s) =>
        new(s.Phase, s.BytesWritten, s.BytesTotal, s.Files, s.FilesTotal, TotalsFinal: s.Phase != RestorePhases.Planning, s.BytesFetched);
}
