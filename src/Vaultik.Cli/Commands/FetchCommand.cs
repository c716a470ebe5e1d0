using System.CommandLine;
using Vaultik.Core;
using Vaultik.Core.Restore;
using Vaultik.Core.Layout;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik fetch &lt;ID|latest&gt; &lt;PATH&gt; [--output FILE] [--identity FILE] [--stats] [--host HOST] [--tag TAG]…</c>: one file's
/// contents to stdout, or to FILE created atomically with the file's mode and mtime.
/// </summary>
internal static class FetchCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var snapshot = new Argument<string>("SNAPSHOT") { Description = "Snapshot id, or 'latest'" };
        var path = new Argument<string>("PATH") { Description = "The file's path as backed up (e.g. /home/me/notes.txt)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (created atomically, with the file's mode and mtime) instead of stdout" };
        var stats = new Option<bool>("--stats") { Description = "Print the bytes downloaded on stderr" };
        var chosen = new SnapshotOptions();
        var command = new Command("fetch", "Print one file from a snapshot, downloading only the parts of blobs it needs");
        command.Arguments.Add(snapshot);
        command.Arguments.Add(path);
        foreach (var option in new Option[] { output, stats })
        {
            command.Options.Add(option);
        }

        chosen.AddTo(command);

        verbs.Bind(command, async (ctx, ct) =>
        {
            var (store, manifest, identities) = await chosen.OpenAsync(ctx, ctx.Parse.GetValue(snapshot)!, ct).ConfigureAwait(false);
            using var run = RunDirectory.Create("fetch", ctx.Err.Warning);
            var result = await new Fetch(store, identities).RunAsync(manifest, ctx.Parse.GetValue(path)!, ctx.Parse.GetValue(output), ctx.BinaryOut, run.Path, ct).ConfigureAwait(false);
            if (ctx.Parse.GetValue(stats) || ctx.Verbose)
            {
                ctx.Err.Info($"fetched {result.BytesFetched} bytes of blob data (+{manifest.MetadataSize} bytes of metadata) for a {result.FileSize}-byte file");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
