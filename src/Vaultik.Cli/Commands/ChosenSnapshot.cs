using Vaultik.Age;
using Vaultik.Core.Integrity;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Commands;

/// <summary>A snapshot chosen by <see cref="SnapshotOptions"/>: the store as first written, its manifest, the identities to read it with.</summary>
internal sealed record ChosenSnapshot(FirstWrittenView Store, SnapshotManifest Manifest, IReadOnlyList<IIdentity> Identities);
