using Vaultik.Core.Config;
using System.CommandLine;
using System.Globalization;
using Vaultik.Core;
using Vaultik.Core.Daemon;
using Vaultik.Core.Index;
using Vaultik.Core.Create;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik daemon [--name NAME]</c>: backs up the configured snapshots when their paths change
/// (backup_interval, min_time_between_run, full_scan_interval), one log line per run, until SIGTERM/SIGINT (exit 0).
/// </summary>
internal static class DaemonCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var name = new Option<string?>("--name", "-n") { Description = "Only this configured snapshot" };
        var command = new Command("daemon", "Watch the configured paths and back them up on a schedule");
        command.Options.Add(name);
        verbs.Bind(command, async (ctx, ct) =>
        {
            var config = ctx.Config;
            var jobs = SnapshotJobs.Plan(config, [], ctx.Parse.GetValue(name), [], SnapshotSession.TempDirectory(config));
            var store = ctx.OpenStore();
            // The same hooks as snapshot create: before, after, on_failure around every run of every job.
            var session = new SnapshotSession(config, store, new SnapshotCreateCommand.CreateObserver(ctx), ctx.Err.Warning) { Outcomes = ExitCodeMap.Outcomes, HookOutput = ctx.Err.Info };
            var schedule = new DaemonSchedule(config.BackupInterval, config.MinTimeBetweenRun, config.FullScanInterval);
            void Log(string line) => ctx.Err.Info($"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} {line}");
            using var index = LocalIndex.Open(config.IndexPath, ctx.Err.Warning);
            var runner = new DaemonRunner(schedule, jobs.SelectMany(j => j.Paths).Distinct().ToList(), new IndexDirtyPathStore(index.DirtyPaths), async (fullScan, token) =>
            {
                var walk = fullScan ? WalkMode.Recorded : WalkMode.Incremental;
                var outcome = await session.RunAsync(jobs.Select(j => j with { Walk = walk }).ToList(), ConfigDefaults.DaemonLockWait, (_, _) => null, token).ConfigureAwait(false);
                return string.Join("; ", outcome.Created.Select(r =>
                    $"snapshot {r.Manifest.Id}: {r.Stats.FilesScanned} files ({r.Stats.EntriesReused} entries reused from the last walk), "
                    + $"{r.Stats.BytesRead} bytes read, {r.Stats.BlobsUploaded} blobs uploaded, {r.Warnings.Count} warnings"
                    + (r.HookError is null ? string.Empty : $" ({r.HookError})")).Concat(outcome.Errors));
            }, Log);
            try
            {
                await runner.RunAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Log("daemon stopped");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
