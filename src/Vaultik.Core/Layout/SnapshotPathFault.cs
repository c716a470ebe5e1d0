namespace Vaultik.Core.Layout;

/// <summary>Why a path cannot be a snapshot entry's path (<see cref="SnapshotPathRule"/>).</summary>
public enum SnapshotPathFault
{
    Empty,
    Absolute,
    Nul,
    TooLong,
    EmptyComponent,
    DotComponent,
    NameTooLong,

    /// <summary>Not in the canonical escaped form of names (<see cref="Platform.RawName"/>): an escape of a byte that needs none, or a lone backslash.</summary>
    NotCanonical,
}
