using System.CommandLine;
using System.Text.Json;
using Vaultik.Cli.Output;
using Vaultik.Core;
using Vaultik.Core.Catalog;

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
            var totals = await StoreTotals.ComputeAsync(store, ct).ConfigureAwait(false);
            if (ctx.Json)
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new StoreInfoJson(store.Location, totals.Snapshots, totals.Blobs, totals.BlobBytes), CliJsonContext.Default.StoreInfoJson));
                return ExitCodes.Success;
            }

            ctx.Out.WriteLine($"storage url:  {TerminalText.Escape(store.Location)}");
            ctx.Out.WriteLine($"snapshots:    {totals.Snapshots}{(totals.IncompleteSnapshots > 0 ? $" (+{totals.IncompleteSnapshots} incomplete)" : string.Empty)}");
            ctx.Out.WriteLine($"blobs:        {totals.Blobs} ({Format.Bytes(totals.BlobBytes)})");
            return ExitCodes.Success;
        }, hasJson: true);
        return command;
    }
}
