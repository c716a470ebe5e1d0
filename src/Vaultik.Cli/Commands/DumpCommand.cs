using System.CommandLine;
using Vaultik.Core;
using Vaultik.Core.Browse;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik dump &lt;ID|latest&gt; &lt;PATH&gt; [--archive tar|zip]</c>: a file's contents, or a directory as a tar (or
/// zip) stream, on stdout. An archive is never written to a terminal (exit 2).
/// </summary>
internal static class DumpCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var snapshot = new Argument<string>("SNAPSHOT") { Description = "Snapshot id, or 'latest'" };
        var path = new Argument<string>("PATH") { Description = "File or directory as backed up (/ for the whole snapshot)" };
        var archive = new Option<string?>("--archive", "-a") { Description = "Archive format (default for a directory: tar; given for a file: a one-member archive)" };
        archive.AcceptOnlyFromAmong("tar", "zip");
        var stats = new Option<bool>("--stats") { Description = "Print members, content bytes and bytes downloaded on stderr" };
        var chosen = new SnapshotOptions();
        var command = new Command("dump", "Write a file, or a directory as a tar or zip stream, to stdout (needs the private key)");
        command.Arguments.Add(snapshot);
        command.Arguments.Add(path);
        foreach (var option in new Option[] { archive, stats })
        {
            command.Options.Add(option);
        }

        chosen.AddTo(command);

        verbs.Bind(command, async (ctx, ct) =>
        {
            ArchiveFormat? format = ctx.Parse.GetValue(archive) switch { "tar" => ArchiveFormat.Tar, "zip" => ArchiveFormat.Zip, _ => null };
            var wanted = ctx.Parse.GetValue(path)!;
            if (format is not null)
            {
                RefuseTerminal(wanted);
            }

            var (store, manifest, identities) = await chosen.OpenAsync(ctx, ctx.Parse.GetValue(snapshot)!, ct).ConfigureAwait(false);
            using var run = RunDirectory.Create("dump", ctx.Err.Warning);
            using var db = await MetadataDownloader.OpenAsync(store, manifest, identities, run.Path, ct).ConfigureAwait(false);
            if (format is null && SnapshotDump.IsDirectory(db, wanted, manifest.Id))
            {
                RefuseTerminal(wanted);
            }

            var dump = new SnapshotDump(store, identities);
            var result = await dump.RunAsync(db, wanted, manifest.Id, format, ctx.BinaryOut, new OwnerNames(), ctx.Err.Error, ct).ConfigureAwait(false);
            if (ctx.Parse.GetValue(stats) || ctx.Verbose)
            {
                ctx.Err.Info($"dumped {result.Members} members, {result.ContentBytes} bytes of content; fetched {dump.BytesFetched} bytes of blob data (+{manifest.MetadataSize} bytes of metadata)");
            }

            return result.Refused > 0 ? ExitCodes.Error : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>An archive on a terminal is unreadable noise (and could drive it): refuse, as tar does.</summary>
    private static void RefuseTerminal(string path)
    {
        if (!Console.IsOutputRedirected)
        {
            throw new ConfigurationException($"cannot dump {path}: refusing to write an archive to a terminal (redirect stdout to a file or pipe it to tar or unzip)");
        }
    }
}
