using System.CommandLine;
using Vaultik.Core.Layout;

namespace Vaultik.Cli.Commands;

/// <summary>
/// The options every verb that reads one snapshot with the key takes (<c>--identity</c>, <c>--name</c>,
/// <c>--host</c>, <c>--tag</c>), and the one way they open it: identities loaded, the store read as first
/// written, the snapshot chosen by <see cref="SnapshotChoice"/>.
/// </summary>
internal sealed class SnapshotOptions
{
    public Option<string?> Identity { get; } = new("--identity", "-i") { Description = "age identity file (default: $VAULTIK_AGE_SECRET_KEY)" };

    public Option<string?> Name { get; } = new("--name", "-n") { Description = "With 'latest': the latest snapshot of this name" };

    public Option<string?> Host { get; } = SnapshotChoice.Host();

    public Option<string[]> Tag { get; } = SnapshotChoice.Tags("With 'latest': the latest snapshot carrying this tag (repeatable: every given tag)");

    /// <summary>Adds the four options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Identity, Name, Host, Tag })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Loads the identities, opens the store and resolves <paramref name="snapshot"/> (an id or <c>latest</c>).</summary>
    public async Task<ChosenSnapshot> OpenAsync(CliContext ctx, string snapshot, CancellationToken cancellationToken)
    {
        var tags = SnapshotChoice.TagValues(ctx, Tag);
        var identities = ctx.LoadIdentities(ctx.Parse.GetValue(Identity));
        var store = await ctx.OpenFirstWrittenAsync([StoreLayout.BlobsPrefix, StoreLayout.MetadataPrefix], cancellationToken).ConfigureAwait(false);
        var manifest = await SnapshotChoice.ResolveAsync(ctx, store, snapshot, ctx.Parse.GetValue(Name), ctx.Parse.GetValue(Host), tags, cancellationToken).ConfigureAwait(false);
        return new ChosenSnapshot(store, manifest, identities);
    }
}
