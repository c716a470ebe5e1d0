using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Catalog;
using Vaultik.Core.Layout;

namespace Vaultik.Cli.Commands;

/// <summary><c>vaultik store info [--json]</c>: where the store is and what it holds, from listings only (no key).</summary>
internal static class StoreInfoCommand
{
    public static Command Create(VerbFactory verbs)
    {
        var command = new Command("info", "Show the store's location, snapshot count and blob totals");
        verbs.Bind(command, async (ctx, ct) =>
        {
            var store = ctx.OpenStore();
            var (complete, incomplete) = await new SnapshotCatalog(store).ScanAsync(ct).ConfigureAwait(false);
            long blobs = 0, bytes = 0;
            await foreach (var info in store.ListAsync(StoreLayout.BlobsPrefix, ct).ConfigureAwait(false))
            {
                if (StoreLayout.TryParseBlobKey(info.Key, out _))
                {
                    blobs++;
                    bytes += info.Size;
                }
            }

            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new StoreInfoJson(store.Location, complete.Count, blobs, bytes), CliJsonContext.Default.StoreInfoJson));
                return ExitCodes.Success;
            }

            ctx.Out.WriteLine($"storage url:  {store.Location}");
            ctx.Out.WriteLine($"snapshots:    {complete.Count}{(incomplete.Count > 0 ? $" (+{incomplete.Count} incomplete)" : string.Empty)}");
            ctx.Out.WriteLine($"blobs:        {blobs} ({Format.Bytes(bytes)})");
            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }
}
