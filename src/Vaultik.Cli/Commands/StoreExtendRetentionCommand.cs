using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Layout;
using Vaultik.Core.Retention;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik store extend-retention [--dry-run] [--json]</c>, for the maintenance machine (no key): moves the Object
/// Lock retention of everything a kept snapshot references out to now + <c>s3.object_lock.retention</c> once it would
/// lapse within half of that. Exits 1 when <c>s3.object_lock</c> is not configured.
/// </summary>
internal static class StoreExtendRetentionCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var dryRun = ManagementOptions.DryRun();
        var command = new Command("extend-retention", "Extend the Object Lock retention of every object a kept snapshot references, before it lapses");
        command.Options.Add(dryRun);
        verbs.Bind(command, async (ctx, ct) =>
        {
            var settings = ctx.Config.S3.ObjectLock
                ?? throw new VaultikException("cannot extend retention: s3.object_lock is not configured (set s3.object_lock: {mode: governance|compliance, retention: 30d})");
            var view = await ctx.OpenFirstWrittenAsync([StoreLayout.MetadataPrefix, StoreLayout.BlobsPrefix], ct).ConfigureAwait(false);
            var report = await new RetentionExtender(view, settings.Retention).RunAsync(ctx.Parse.GetValue(dryRun), DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(
                    new ExtendRetentionJson(report.DryRun, report.Snapshots, report.Checked, report.Extended, report.AlreadyFine, report.Missing, report.RetainUntil),
                    CliJsonContext.Default.ExtendRetentionJson));
            }
            else if (!ctx.Quiet)
            {
                ctx.Out.WriteLine($"snapshots:     {report.Snapshots}");
                ctx.Out.WriteLine($"checked:       {report.Checked} objects");
                ctx.Out.WriteLine($"{(report.DryRun ? "to extend:   " : "extended:    ")}  {report.Extended} objects (retained until {Format.Utc(report.RetainUntil)})");
                ctx.Out.WriteLine($"already fine:  {report.AlreadyFine} objects (retained past {Format.Period(settings.Retention / 2)} from now)");
            }

            if (report.Missing > 0)
            {
                ctx.Err.Warning($"{report.Missing} objects that kept snapshots reference are missing (run vaultik verify)");
            }

            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }
}
