using System.CommandLine;
using Vaultik.Cli.Output;
using Vaultik.Core.Storage;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik store create-bucket</c>: creates the configured S3 bucket with Object Lock enabled (which turns on
/// versioning for good); refuses when the bucket exists. Needs the right to create buckets.
/// </summary>
internal static class StoreCreateBucketCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var command = new Command("create-bucket", "Create the configured S3 bucket with Object Lock (and so versioning) enabled");
        verbs.Bind(command, async (ctx, ct) =>
        {
            using var setup = new S3BucketSetup(StoreChain.S3OptionsOnly(ctx.Config, "create a bucket"));
            await setup.CreateAsync(ct).ConfigureAwait(false);
            ctx.Info($"created bucket {TerminalText.Escape(setup.Location)} with Object Lock and versioning enabled");
            return ExitCodes.Success;
        });
        return command;
    }
}
