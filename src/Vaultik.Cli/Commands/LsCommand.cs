using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core.Browse;
using Vaultik.Core.Layout;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik ls &lt;ID|latest&gt; [PATH] [--recursive] [--long] [--json]</c>: a directory's entries (or a subtree's),
/// streamed from the snapshot's metadata in path order.
/// </summary>
internal static class LsCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var snapshot = new Argument<string>("SNAPSHOT") { Description = "Snapshot id, or 'latest'" };
        var path = new Argument<string>("PATH") { Description = "Directory (or entry) to list, as backed up (default: /)", Arity = ArgumentArity.ZeroOrOne };
        var recursive = new Option<bool>("--recursive", "-R") { Description = "Everything below PATH, not only its direct entries" };
        var longFormat = new Option<bool>("--long", "-l") { Description = "Type and mode, owner, size, mtime (UTC) and link target, like ls -l" };
        var chosen = new SnapshotOptions();
        var command = new Command("ls", "List a directory of a snapshot (needs the private key)");
        command.Arguments.Add(snapshot);
        command.Arguments.Add(path);
        foreach (var option in new Option[] { recursive, longFormat })
        {
            command.Options.Add(option);
        }

        chosen.AddTo(command);

        verbs.Bind(command, async (ctx, ct) =>
        {
            var (store, manifest, identities) = await chosen.OpenAsync(ctx, ctx.Parse.GetValue(snapshot)!, ct).ConfigureAwait(false);
            using var run = RunDirectory.Create("ls", ctx.Err.Warning);
            using var db = await MetadataDownloader.OpenAsync(store, manifest, identities, run.Path, ct).ConfigureAwait(false);
            var entry = SnapshotListing.Find(db, ctx.Parse.GetValue(path) ?? "/", manifest.Id, "list");
            var entries = SnapshotListing.List(db, entry, ctx.Parse.GetValue(recursive));
            if (ctx.Json)
            {
                WriteJson(ctx.Out, entries, ct);
            }
            else
            {
                WriteText(ctx.Out, entries, ctx.Parse.GetValue(longFormat), ct);
            }

            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }

    /// <summary>One JSON array, written an element at a time.</summary>
    private static void WriteJson(TextWriter output, IEnumerable<SnapshotEntry> entries, CancellationToken cancellationToken)
    {
        output.Write('[');
        var first = true;
        foreach (var e in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.Write(first ? "\n" : ",\n");
            first = false;
            var json = new LsEntryJson(EntryText.Path(e.Path), EntryText.Type(e), e.Mode, e.Uid, e.Gid, e.Size, EntryText.Mtime(e.MtimeNs), EntryText.LinkTarget(e));
            output.Write(JsonSerializer.Serialize(json, CliJsonContext.Default.LsEntryJson));
        }

        output.WriteLine(first ? "]" : "\n]");
    }

    private static void WriteText(TextWriter output, IEnumerable<SnapshotEntry> entries, bool longFormat, CancellationToken cancellationToken)
    {
        var names = new OwnerNames();
        foreach (var e in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var shown = TerminalText.Escape(EntryText.Path(e.Path));
            if (!longFormat)
            {
                output.WriteLine(shown);
                continue;
            }

            var owner = $"{names.User(e.Uid) ?? e.Uid.ToString(CultureInfo.InvariantCulture)}/{names.Group(e.Gid) ?? e.Gid.ToString(CultureInfo.InvariantCulture)}";
            var link = EntryText.LinkTarget(e) is { } target ? (e.Type == MetadataSchema.TypeSymlink ? " -> " : " link to ") + TerminalText.Escape(target) : string.Empty;
            var time = EntryText.Mtime(e.MtimeNs);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ModeText.For(e)} {owner,-17} {e.Size,12} {time[..10]} {time[11..19]} {shown}{link}"));
        }
    }
}
