using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Config;
using Vaultik.Core.Layout;
using Vaultik.Core.Status;

namespace Vaultik.Cli.Commands;

/// <summary>
/// <c>vaultik store status [--max-age D] [--host H] [--json] [--prometheus FILE]</c>: every (host, name) group's
/// latest complete snapshot, its age by the store's clock, and the store's orphaned bytes, from manifests and
/// listings only (no key, no writes). Exits <see cref="ExitCodes.Stale"/> when --max-age is exceeded.
/// </summary>
internal static class StoreStatusCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var maxAge = new Option<string?>("--max-age") { HelpName = "D", Description = "Exit 6 (stale) when a group's latest complete snapshot is older than this (e.g. 26h), or a group has none" };
        var host = new Option<string?>("--host") { HelpName = "HOST", Description = "Only the groups of this host (orphaned bytes stay store-wide)" };
        var prometheus = new Option<string?>("--prometheus") { HelpName = "FILE", Description = "Also write node_exporter textfile-collector metrics to FILE (atomically)" };
        var command = new Command("status", "Show each host and snapshot name's latest snapshot, its age and size, and orphaned bytes (no key needed)");
        command.Options.Add(maxAge);
        command.Options.Add(host);
        command.Options.Add(prometheus);
        verbs.Bind(command, async (ctx, ct) =>
        {
            var limit = MaxAge(ctx.Parse.GetValue(maxAge));
            var only = ctx.Parse.GetValue(host);
            var store = await ctx.OpenFirstWrittenAsync([StoreLayout.MetadataPrefix], ct).ConfigureAwait(false);
            var status = await StatusScanner.ComputeAsync(store, store.Tampered, only, limit, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
            foreach (var bad in status.Unreadable)
            {
                ctx.Err.Warning($"snapshot {bad.Id} is counted as incomplete: {bad.Reason}");
            }

            if (ctx.Parse.GetValue(prometheus) is { } file)
            {
                AtomicTextFile.Write(file, PrometheusText.Format(status));
            }

            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(ToJson(status), CliJsonContext.Default.StoreStatusJson));
            }
            else
            {
                WriteText(ctx, status, only);
            }

            return ExitCodeMap.For(status);
        }, hasJson: true);
        return command;
    }

    private static TimeSpan? MaxAge(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            var age = DurationParser.Parse(text);
            return age > TimeSpan.Zero ? age : throw new FormatException($"'{text}' is not a positive duration");
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException($"cannot use --max-age: {ex.Message}", ex);
        }
    }

    private static void WriteText(CliContext ctx, StoreStatus status, string? host)
    {
        var table = new Table("HOST", "NAME", "LATEST (UTC)", "AGE", "SIZE", "FILES", "NEW", "BLOBS", "SNAPSHOTS", "INCOMPLETE", "SUSPECT", "STATUS");
        foreach (var g in status.Groups)
        {
            var l = g.Latest;
            table.Add(g.Host, g.Name, l is null ? "-" : Format.Utc(l.Written), l is null ? "-" : DurationParser.Format(l.Age), l is null ? "-" : Format.Bytes(l.Size),
                l is null ? "-" : Number(l.Files), l is null ? "-" : Format.Bytes(l.NewBytes), l is null ? "-" : Number(l.Blobs), Number(g.Snapshots),
                Number(g.Incomplete), Number(g.Suspect), g.Stale ? "STALE" : l is null ? "no complete snapshot" : "ok");
        }

        if (status.Groups.Count > 0)
        {
            table.Write(ctx.Out);
        }

        var limit = status.MaxAge is { } max ? $" (--max-age {Format.Period(max)})" : string.Empty;
        ctx.Out.WriteLine(TerminalText.Escape(
            $"{status.Groups.Count} group{(status.Groups.Count == 1 ? string.Empty : "s")}, {status.StaleGroups.Count} stale{limit}; " +
            $"orphaned: {status.OrphanedBlobs} blob{(status.OrphanedBlobs == 1 ? string.Empty : "s")} ({Format.Bytes(status.OrphanedBytes)}) in {status.Location}"));
        if (!status.Stale)
        {
            return;
        }

        var stale = status.Groups.Count == 0
            ? $"no snapshots{(host is null ? string.Empty : $" of host {host}")} in {status.Location}"
            : string.Join("; ", status.StaleGroups.Select(g => g.Latest is { } l
                ? $"{g.Host}/{g.Name} latest {l.Id} is {DurationParser.Format(l.Age)} old"
                : $"{g.Host}/{g.Name} has no complete snapshot"));
        ctx.Err.Error($"stale backups{limit}: {stale}");
    }

    private static StoreStatusJson ToJson(StoreStatus status) => new(
        status.Location, status.CheckedAt, status.MaxAge?.TotalSeconds, status.Stale,
        status.Groups.Select(g => new StoreStatusGroupJson(g.Host, g.Name, g.Latest?.Id, g.Latest?.Created, g.Latest?.Written,
            g.Latest is { } l ? Math.Round(l.Age.TotalSeconds, 3, MidpointRounding.AwayFromZero) : null,
            g.Latest?.Size, g.Latest?.Files, g.Latest?.NewBytes, g.Latest?.Blobs, g.Snapshots, g.Incomplete, g.Suspect, g.Stale)).ToList(),
        status.OrphanedBlobs, status.OrphanedBytes);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
