using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Config;
using Vaultik.Core.Locking;
using Vaultik.Core.Create;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik snapshot create [PATH…] [--name NAME] [--exclude GLOB]… [--exclude-caches] [--exclude-if-present FILE]…
/// [--exclude-larger-than SIZE] [--files-from FILE]… [--tag TAG]…</c>: with PATHs an ad-hoc snapshot of them; without, every
/// configured snapshot (or only --name), each with its hooks. First use with no config sets one up. With
/// <c>--stdin</c> or <c>--stdin-from-command -- CMD…</c> one stream stored as one file (<see cref="StreamArguments"/>).
/// </summary>
internal static class SnapshotCreateCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Paths to back up (default: the configured snapshots)", Arity = ArgumentArity.ZeroOrMore };
        var name = new Option<string?>("--name", "-n") { Description = "Snapshot name (ad-hoc default: adhoc); without PATHs, run only this configured snapshot" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "Exclude pattern (repeatable; see README 'Excludes')" };
        var waitLock = new Option<string?>("--wait-lock") { Description = "If another run holds this index's lock, wait up to this long (e.g. 10m) instead of exiting 4" };
        var excludeCaches = new Option<bool>("--exclude-caches") { Description = "Leave out the contents of directories holding a valid CACHEDIR.TAG (the tag file is kept)" };
        var excludeIfPresent = new Option<string[]>("--exclude-if-present") { Description = "Leave out the contents of directories holding an entry named FILE (repeatable; FILE is kept)" };
        var excludeLargerThan = new Option<string?>("--exclude-larger-than") { Description = "Leave out files larger than SIZE (e.g. 100MiB)" };
        var filesFrom = new Option<string[]>("--files-from") { Description = "Read more PATHs from FILE, one a line ('#' comments; relative to the current directory; repeatable)" };
        var tag = new Option<string[]>("--tag") { Description = "Tag the snapshot (repeatable; 1-64 of A-Z a-z 0-9 . _ : -; stored unencrypted in the manifest); added to a configured snapshot's tags" };
        var pq = new Option<bool>("--pq") { Description = "First run only (no config yet): generate a hybrid post-quantum identity (age1pq1…) instead of an X25519 one" };
        var command = new Command("create", "Back up paths into a new snapshot");
        command.Arguments.Add(paths);
        command.Options.Add(name);
        command.Options.Add(exclude);
        command.Options.Add(excludeCaches);
        command.Options.Add(excludeIfPresent);
        command.Options.Add(excludeLargerThan);
        command.Options.Add(filesFrom);
        command.Options.Add(waitLock);
        command.Options.Add(tag);
        command.Options.Add(pq);
        command.Options.Add(ProgressJson.Option);
        var streams = new StreamArguments();
        streams.AddTo(command);
        verbs.Bind(command, async (ctx, ct) =>
        {
            // Usage errors first, before a first run writes a config.
            var progressJson = ProgressJson.Requested(ctx);
            var pathOptions = new List<string>();
            pathOptions.AddRange((ctx.Parse.GetValue(exclude) ?? []).Length > 0 ? ["--exclude"] : []);
            pathOptions.AddRange((ctx.Parse.GetValue(filesFrom) ?? []).Length > 0 ? ["--files-from"] : []);
            pathOptions.AddRange((ctx.Parse.GetValue(excludeIfPresent) ?? []).Length > 0 ? ["--exclude-if-present"] : []);
            pathOptions.AddRange(ctx.Parse.GetValue(excludeCaches) ? ["--exclude-caches"] : []);
            pathOptions.AddRange(ctx.Parse.GetValue(excludeLargerThan) is not null ? ["--exclude-larger-than"] : []);
            var stream = streams.Read(ctx.Parse, ctx.Parse.GetValue(paths) ?? [], pathOptions);
            var tags = SnapshotTags.Normalize(ctx.Parse.GetValue(tag) ?? [], "--tag");
            if (FirstRun.IsNeeded(ctx))
            {
                FirstRun.SetUp(ctx, ctx.Parse.GetValue(pq));
            }
            else if (ctx.Parse.GetValue(pq))
            {
                throw new ConfigurationException($"cannot use --pq: the config {ctx.ConfigPath} already exists, and --pq only chooses the identity first-run set-up generates (vaultik init --pq writes a new config)");
            }

            var config = ctx.Config;
            var jobs = FaultHooks.WrapSources(SnapshotJobs.WithTags(stream is not null
                ? [SnapshotJobs.PlanStream(config, stream, ctx.Parse.GetValue(name), SnapshotSession.TempDirectory(config))]
                : SnapshotJobs.Plan(config, ctx.Parse.GetValue(paths) ?? [], ctx.Parse.GetValue(name), ctx.Parse.GetValue(exclude) ?? [],
                    SnapshotSession.TempDirectory(config),
                    new SourceFlags(ctx.Parse.GetValue(excludeCaches), ctx.Parse.GetValue(excludeIfPresent) ?? [], ctx.Parse.GetValue(excludeLargerThan), ctx.Parse.GetValue(filesFrom) ?? [])),
                tags));
            var session = new SnapshotSession(config, ctx.OpenStore(), new CreateObserver(ctx), ctx.Err.Warning) { Outcomes = ExitCodeMap.Outcomes, HookOutput = ctx.Err.Info };
            var outcome = await session.RunAsync(jobs, WaitLock(ctx.Parse.GetValue(waitLock)),
                (job, stats) => ProgressJson.Start(progressJson, ctx.Err.Raw, "snapshot create", job.Name, () => Sample(stats))
                    ?? (IAsyncDisposable?)ProgressLine.Start(ctx.Progress, ctx.Err.Raw, () => Describe(job.Name, stats)), ct).ConfigureAwait(false);
            var results = new List<SnapshotCreateJson>();
            foreach (var result in outcome.Created)
            {
                results.Add(ToJson(result));
                if (!ctx.Json)
                {
                    PrintSummary(ctx, result);
                }
            }

            foreach (var error in outcome.Created.Select(r => r.HookError).OfType<string>().Concat(outcome.Errors))
            {
                ctx.Err.Error(error);
            }

            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(results, CliJsonContext.Default.ListSnapshotCreateJson));
            }

            return ExitCodeMap.For(outcome);
        }, hasJson: true);
        return command;
    }

    private static TimeSpan WaitLock(string? text)
    {
        if (text is null)
        {
            return TimeSpan.Zero;
        }

        try
        {
            return DurationParser.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException($"cannot use --wait-lock: {ex.Message}", ex);
        }
    }

    private static string Describe(string name, CreateStats s) =>
        $"{name}: {s.FilesScanned} files, {Format.Bytes(s.BytesRead)} read, {Format.Bytes(s.BytesNew)} new, {Format.Bytes(s.BytesUploaded)} uploaded, {s.FilesSkipped} skipped";

    /// <summary>Create's progress: bytes read or found unchanged, of the file sizes walked so far (the walk and the reads go together).</summary>
    private static ProgressSample Sample(CreateStats s) =>
        new(s.Phase, s.BytesRead + s.BytesUnchanged, s.BytesScanned, s.FilesScanned, s.FilesScanned, TotalsFinal: s.Phase == CreatePhases.Done, s.BytesUploaded);

    internal static void PrintSummary(CliContext ctx, CreateResult result)
    {
        var s = result.Stats;
        var m = result.Manifest;
        var dedup = s.BytesRead == 0 ? 1.0 : (double)s.BytesRead / Math.Max(1, s.BytesNew);
        ctx.Out.WriteLine($"snapshot {TerminalText.Escape(m.Id)} created");
        ctx.Out.WriteLine($"  files:   {s.FilesScanned} scanned, {s.FilesNew} new, {s.FilesChanged} changed, {s.FilesUnchanged} unchanged, {s.FilesSkipped} skipped");
        ctx.Out.WriteLine($"  data:    {Format.Bytes(s.BytesRead)} read, {Format.Bytes(s.BytesNew)} new, {Format.Bytes(s.BytesCompressed)} after compression (dedup {dedup:0.00}x)");
        ctx.Out.WriteLine($"  stored:  {s.BlobsUploaded} blobs uploaded ({Format.Bytes(s.BytesUploaded)}); snapshot references {m.Blobs.Count} blobs, {Format.Bytes(m.CompressedSize)}");
        ctx.Out.WriteLine($"  time:    {Format.Duration(s.Duration)} ({Format.Rate(s.BytesRead, s.Duration)})");
        if (result.Warnings.Count > 0)
        {
            ctx.Out.WriteLine($"  {result.Warnings.Count} entries could not be backed up completely (see warnings above)");
        }
    }

    private static SnapshotCreateJson ToJson(CreateResult r)
    {
        var s = r.Stats;
        var m = r.Manifest;
        return new SnapshotCreateJson(
            m.Id, m.Name, m.Hostname, s.FilesScanned, s.FilesNew, s.FilesChanged, s.FilesUnchanged, s.FilesSkipped,
            s.BytesRead, s.BytesNew, s.BytesCompressed, s.BytesUploaded, s.ChunksNew, s.ChunksDeduplicated, s.BlobsUploaded,
            m.Blobs.Count, m.CompressedSize, Math.Round(s.Duration.TotalSeconds, 3), r.Warnings);
    }

    internal sealed class CreateObserver(CliContext ctx) : ICreateObserver
    {
        public void Warning(string path, string reason) => ctx.Err.Warning($"{path}: {reason}");

        /// <summary>A deliberately skipped entry (README "What a snapshot holds"): only with -v, and never counted as a warning.</summary>
        public void Notice(string path, string reason)
        {
            if (ctx.Verbose)
            {
                ctx.Err.Info($"notice: {path}: {reason}");
            }
        }

        public void Info(string message) => ctx.Err.Info(message);

        public void Phase(string description)
        {
            if (ctx.Verbose)
            {
                ctx.Err.Info(description);
            }
        }
    }
}
