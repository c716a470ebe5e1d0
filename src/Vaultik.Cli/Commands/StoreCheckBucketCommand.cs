using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Storage;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik store check-bucket [--json]</c>: whether the configured bucket exists, its versioning status, whether
/// Object Lock is enabled and its default retention. Exits 1 with one line when <c>s3.object_lock</c> is configured
/// and the bucket cannot honour it (missing, no Object Lock, or versioning not enabled).
/// </summary>
internal static class StoreCheckBucketCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var command = new Command("check-bucket", "Show whether the configured S3 bucket exists, is versioned and has Object Lock enabled");
        verbs.Bind(command, async (ctx, ct) =>
        {
            using var setup = new S3BucketSetup(StoreChain.S3OptionsOnly(ctx.Config, "check the bucket"));
            var status = await setup.CheckAsync(ct).ConfigureAwait(false);
            var configured = ctx.Config.S3.ObjectLock;
            var ok = configured is null || status.SupportsObjectLock;
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(
                    new CheckBucketJson(status.Bucket, status.Exists, status.Versioning, status.ObjectLockEnabled, status.DefaultRetentionMode, status.DefaultRetention,
                        configured?.Mode, configured is null ? null : Format.Period(configured.Retention), ok),
                    CliJsonContext.Default.CheckBucketJson));
            }
            else if (!ctx.Quiet)
            {
                ctx.Out.WriteLine($"bucket:             {TerminalText.Escape(setup.Location)}");
                ctx.Out.WriteLine($"exists:             {(status.Exists ? "yes" : "no")}");
                ctx.Out.WriteLine($"versioning:         {status.Versioning}");
                ctx.Out.WriteLine($"object lock:        {(status.ObjectLockEnabled ? "enabled" : "not enabled")}");
                ctx.Out.WriteLine($"default retention:  {(status.DefaultRetention is { } d ? $"{status.DefaultRetentionMode} {d}" : "none")}");
                ctx.Out.WriteLine($"s3.object_lock:     {(configured is null ? "not configured" : $"{configured.Mode} {Format.Period(configured.Retention)}")}");
            }

            if (!ok)
            {
                var lacks = !status.Exists ? "does not exist" : !status.ObjectLockEnabled ? "does not have Object Lock enabled" : $"does not have versioning enabled (it is {status.Versioning})";
                throw new VaultikException(
                    $"cannot use s3.object_lock with bucket {setup.Location}: it {lacks}; Object Lock can only be enabled when a bucket is created (vaultik store create-bucket creates one)");
            }

            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }
}
