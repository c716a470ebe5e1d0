namespace Vaultik.Core.Create;

/// <summary>How a snapshot run walks its roots.</summary>
public enum WalkMode
{
    /// <summary>List every directory; keep no record of the walk (<c>snapshot create</c>).</summary>
    Full,

    /// <summary>List every directory and record the walk in the index (the daemon's full scans).</summary>
    Recorded,

    /// <summary>
    /// Reuse the recorded walk for directories outside the daemon's dirty paths, list the rest, and record the
    /// result (the daemon's runs between full scans). Falls back to a full walk when nothing usable is recorded.
    /// </summary>
    Incremental,
}
