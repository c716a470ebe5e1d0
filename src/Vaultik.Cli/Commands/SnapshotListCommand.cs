using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Catalog;
using Vaultik.Core.Layout;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik snapshot list [--name NAME] [--host HOST] [--tag TAG]… [--json]</c>: complete and suspect snapshots from their
/// manifests, read as first written, oldest written first (no key needed). Suspect and tampered snapshots are
/// flagged; incomplete ones that have a manifest are named in a warning.
/// </summary>
internal static class SnapshotListCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var name = new Option<string?>("--name", "-n") { Description = "Only snapshots with this name" };
        var host = new Option<string?>("--host") { Description = "Only snapshots of this host" };
        var tag = SnapshotChoice.Tags("Only snapshots carrying this tag (repeatable: every given tag)");
        var command = new Command("list", "List complete snapshots, oldest first");
        command.Options.Add(name);
        command.Options.Add(host);
        command.Options.Add(tag);
        verbs.Bind(command, async (ctx, ct) =>
        {
            var tags = SnapshotChoice.TagValues(ctx, tag);
            var store = await ctx.OpenFirstWrittenAsync([StoreLayout.MetadataPrefix], ct).ConfigureAwait(false);
            var entries = await new SnapshotCatalog(store, store.Tampered).EntriesAsync(ct).ConfigureAwait(false);
            // A manifest that cannot be read costs only its own snapshot: named in a warning, left out (exit 0).
            var listed = SnapshotCatalog.Listed(entries, ctx.Parse.GetValue(host), ctx.Parse.GetValue(name), tags, e => ctx.Err.Warning(TerminalText.Escape(SnapshotCatalog.SkippedWarning(e))));
            foreach (var broken in entries.Where(e => e.Status == CatalogStatus.Incomplete && e.Manifest is not null))
            {
                ctx.Err.Warning($"snapshot {TerminalText.Escape(broken.Id)} is incomplete, not listed: {TerminalText.Escape(broken.Reason ?? string.Empty)}");
            }

            foreach (var suspect in listed.Where(e => e.Status == CatalogStatus.Suspect))
            {
                ctx.Err.Warning($"snapshot {TerminalText.Escape(suspect.Id)} is suspect, never 'latest' nor counted by keep rules: {TerminalText.Escape(suspect.Reason ?? string.Empty)}");
            }

            if (ctx.Json)
            {
                var rows = listed.Select(e => new SnapshotListJson(e.Id, e.Manifest!.Name, e.Manifest.Hostname, e.Manifest.Created, e.Manifest.FileCount, e.Manifest.TotalSize,
                    e.BlobCount, e.BlobBytes, e.Written, e.Status == CatalogStatus.Suspect ? e.Reason : null, e.Tampered, e.Manifest.Tags)).ToList();
                ctx.Out.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.ListSnapshotListJson));
                return ExitCodes.Success;
            }

            if (listed.Count == 0)
            {
                ctx.Info("no snapshots");
                return ExitCodes.Success;
            }

            var table = new Table("ID", "NAME", "HOST", "CREATED (UTC)", "FILES", "SIZE", "BLOBS", "STORED", "TAGS", "FLAGS");
            foreach (var e in listed)
            {
                var m = e.Manifest!;
                table.Add(e.Id, m.Name, m.Hostname, m.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    m.FileCount.ToString(CultureInfo.InvariantCulture), Format.Bytes(m.TotalSize), e.BlobCount.ToString(CultureInfo.InvariantCulture), Format.Bytes(e.BlobBytes), string.Join(",", m.Tags), Flags(e));
            }

            table.Write(ctx.Out);
            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }

    private static string Flags(CatalogEntry entry) =>
        string.Join(",", new[] { entry.Status == CatalogStatus.Suspect ? "suspect" : null, entry.Tampered.Count > 0 ? "tampered" : null }.OfType<string>());
}
