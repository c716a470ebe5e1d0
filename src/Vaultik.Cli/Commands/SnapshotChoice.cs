using System.CommandLine;
using Vaultik.Core.Catalog;
using Vaultik.Core.Integrity;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Commands;

/// <summary>
/// How restore and fetch pick their snapshot: an exact id, or <c>latest</c> of this host (the config's
/// <c>hostname</c>) unless <c>--host HOST</c> names another, read from the store as first written.
/// </summary>
internal static class SnapshotChoice
{
    public static Option<string?> Host() => new("--host") { Description = "With 'latest': the latest snapshot of this host (default: the config's hostname)" };

    public static Task<SnapshotManifest> ResolveAsync(CliContext ctx, FirstWrittenView store, string snapshot, string? name, string? host, CancellationToken cancellationToken) =>
        new SnapshotCatalog(store, store.Tampered).ResolveAsync(snapshot, name, host ?? CliContext.Hostname(ctx.Config), cancellationToken);
}
