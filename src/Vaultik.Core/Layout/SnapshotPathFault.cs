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
}
