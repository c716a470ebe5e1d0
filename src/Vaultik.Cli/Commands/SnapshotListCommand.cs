using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Catalog;

namespace Vaultik.Cli.Commands;

/// <summary><c>vaultik snapshot list [--name NAME] [--json]</c>: complete snapshots from their manifests (no key needed).</summary>
internal static class SnapshotListCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var name = new Option<string?>("--name", "-n") { Description = "Only snapshots with this name" };
        var command = new Command("list", "List complete snapshots, oldest first");
        command.Options.Add(name);
        verbs.Bind(command, async (ctx, ct) =>
        {
            var catalog = new SnapshotCatalog(ctx.OpenStore());
            var only = ctx.Parse.GetValue(name);
            var manifests = (await catalog.ListAsync(ct).ConfigureAwait(false)).Where(m => only is null || m.Name == only).ToList();
            if (ctx.Json)
            {
                var rows = manifests.Select(m => new SnapshotListJson(m.Id, m.Name, m.Hostname, m.Created, m.FileCount, m.TotalSize, m.Blobs.Count, m.CompressedSize)).ToList();
                ctx.Out.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.ListSnapshotListJson));
                return ExitCodes.Success;
            }

            if (manifests.Count == 0)
            {
                ctx.Info("no snapshots");
                return ExitCodes.Success;
            }

            var table = new Table("ID", "NAME", "HOST", "CREATED (UTC)", "FILES", "SIZE", "BLOBS", "STORED");
            foreach (var m in manifests)
            {
                table.Add(m.Id, m.Name, m.Hostname, m.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    m.FileCount.ToString(CultureInfo.InvariantCulture), Format.Bytes(m.TotalSize), m.Blobs.Count.ToString(CultureInfo.InvariantCulture), Format.Bytes(m.CompressedSize));
            }

            table.Write(ctx.Out);
            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }
}
