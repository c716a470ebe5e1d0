using System.CommandLine;
using Vaultik.Cli.Output;
using Vaultik.Core.Catalog;
using Vaultik.Core.Integrity;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Commands;

/// <summary>
/// How restore and fetch pick their snapshot: an exact id, or <c>latest</c> of this host (the config's
/// <c>hostname</c>) unless <c>--host HOST</c> names another, optionally only among snapshots carrying every
/// <c>--tag</c>, read from the store as first written.
/// </summary>
internal static class SnapshotChoice
{
    public static Option<string?> Host() => new("--host") { Description = "With 'latest': the latest snapshot of this host (default: the config's hostname)" };

    /// <summary><c>--tag TAG</c> (repeatable) as a filter: a snapshot matches when it carries every given tag.</summary>
    public static Option<string[]> Tags(string description) => new("--tag") { Description = description };

    /// <summary>The <c>--tag</c> values, checked (exit 2 for one that is not a valid tag), sorted and unique.</summary>
    public static IReadOnlyList<string> TagValues(CliContext ctx, Option<string[]> option) =>
        SnapshotTags.Normalize(ctx.Parse.GetValue(option) ?? [], "--tag");

    public static Task<SnapshotManifest> ResolveAsync(
        CliContext ctx, FirstWrittenView store, string snapshot, string? name, string? host, IReadOnlyCollection<string> tags, CancellationToken cancellationToken) =>
        new SnapshotCatalog(store, store.Tampered) { OnUnreadable = e => ctx.Err.Warning(TerminalText.Escape(SnapshotCatalog.SkippedWarning(e))) }.ResolveAsync(snapshot, name, host ?? CliContext.Hostname(ctx.Config), tags, cancellationToken);
}
