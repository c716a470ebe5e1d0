namespace Vaultik.Core.Browse;

/// <summary>What <c>dump --archive</c> writes.</summary>
public enum ArchiveFormat
{
    /// <summary>POSIX pax tar: modes, owners (ids and names), mtimes, symlinks and hard links.</summary>
    Tar,

    /// <summary>Zip with Unix modes and symlinks; no owners, 2-second mtimes, hard links stored as copies.</summary>
    Zip,
}
