using Vaultik.Core.Platform;

namespace Vaultik.Core.Layout;

/// <summary>
/// The rule for a snapshot entry's path (docs/FORMAT.md): relative, '/'-separated, no empty, '.' or '..'
/// component, no NUL, in the canonical escaped form of names (<see cref="RawName"/>: so an escape can
/// smuggle in neither a '/' nor a NUL), at most <see cref="MaxPathBytes"/> bytes and <see cref="MaxNameBytes"/> per name. Restore
/// refuses entries that break it; a stream's file name is checked against it before anything is written. Each
/// caller words the fault for its own reader.
/// </summary>
public static class SnapshotPathRule
{
    public const int MaxPathBytes = 4096;
    public const int MaxNameBytes = 255;

    /// <summary>The first fault of <paramref name="path"/> and the component it lies in (for component faults), or null.</summary>
    public static (SnapshotPathFault Fault, string Part)? Find(string path)
    {
        if (path.Length == 0)
        {
            return (SnapshotPathFault.Empty, string.Empty);
        }

        if (path[0] == '/')
        {
            return (SnapshotPathFault.Absolute, string.Empty);
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return (SnapshotPathFault.Nul, string.Empty);
        }

        if (RawName.Canonical(path) != path)
        {
            return (SnapshotPathFault.NotCanonical, string.Empty);
        }

        if (RawName.ByteCount(path) > MaxPathBytes)
        {
            return (SnapshotPathFault.TooLong, string.Empty);
        }

        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0)
            {
                return (SnapshotPathFault.EmptyComponent, part);
            }

            if (part is "." or "..")
            {
                return (SnapshotPathFault.DotComponent, part);
            }

            if (RawName.ByteCount(part) > MaxNameBytes)
            {
                return (SnapshotPathFault.NameTooLong, part);
            }
        }

        return null;
    }
}
