using System.CommandLine;
using Vaultik.Core;
using Vaultik.Core.Platform;
using Vaultik.Core.Restore;
using Vaultik.Core.Catalog;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik fetch &lt;ID|latest&gt; &lt;PATH&gt; [--output FILE] [--identity FILE] [--stats]</c>: one file's
/// contents to stdout, or to FILE created atomically with the file's mode and mtime.
/// </summary>
internal static class FetchCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var snapshot = new Argument<string>("SNAPSHOT") { Description = "Snapshot id, or 'latest'" };
        var path = new Argument<string>("PATH") { Description = "The file's path as backed up (e.g. /home/me/notes.txt)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (created atomically, with the file's mode and mtime) instead of stdout" };
        var identity = new Option<string?>("--identity", "-i") { Description = "age identity file (default: $VAULTIK_AGE_SECRET_KEY)" };
        var stats = new Option<bool>("--stats") { Description = "Print the bytes downloaded on stderr" };
        var name = new Option<string?>("--name", "-n") { Description = "With 'latest': the latest snapshot of this name" };
        var command = new Command("fetch", "Print one file from a snapshot, downloading only the parts of blobs it needs");
        command.Arguments.Add(snapshot);
        command.Arguments.Add(path);
        foreach (var option in new Option[] { output, identity, stats, name })
        {
            command.Options.Add(option);
        }

        verbs.Bind(command, async (ctx, ct) =>
        {
            var identities = ctx.LoadIdentities(ctx.Parse.GetValue(identity));
            var store = ctx.OpenStore();
            var manifest = await new SnapshotCatalog(store).ResolveAsync(ctx.Parse.GetValue(snapshot)!, ctx.Parse.GetValue(name), null, ct).ConfigureAwait(false);
            var work = Directory.CreateTempSubdirectory("vaultik-fetch-").FullName;
            try
            {
                var dbPath = await MetadataDownloader.DownloadAsync(store, manifest, identities, work, ct).ConfigureAwait(false);
                using var db = new MetadataReader(dbPath);
                var file = FileFetcher.Find(db, ctx.Parse.GetValue(path)!, manifest.Id);
                var fetcher = new FileFetcher(store, identities);
                if (ctx.Parse.GetValue(output) is { } target)
                {
                    await WriteFileAsync(fetcher, db, file, Path.GetFullPath(target), ct).ConfigureAwait(false);
                }
                else
                {
                    await using var stdout = Console.OpenStandardOutput();
                    await fetcher.WriteAsync(db, file, stdout, ct).ConfigureAwait(false);
                }

                if (ctx.Parse.GetValue(stats) || ctx.Verbose)
                {
                    ctx.Err.Info($"fetched {fetcher.BytesFetched} bytes of blob data (+{manifest.MetadataSize} bytes of metadata) for a {file.Size}-byte file");
                }

                return ExitCodes.Success;
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        });
        return command;
    }

    private static async Task WriteFileAsync(FileFetcher fetcher, MetadataReader db, SnapshotEntry file, string target, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.vaultik-{Guid.NewGuid():N}");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await fetcher.WriteAsync(db, file, stream, ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            Posix.Chmod(temp, file.Mode);
            Posix.SetTimes(temp, file.MtimeNs, file.MtimeNs, noFollow: true);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
