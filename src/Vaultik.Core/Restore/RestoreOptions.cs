using Vaultik.Core.Config;

namespace Vaultik.Core.Restore;

/// <summary>How to restore: where, which paths (empty = everything), and what to do with what is already there.</summary>
public sealed record RestoreOptions(string TargetDirectory, IReadOnlyList<string> Paths, bool Overwrite)
{
    /// <summary>Blobs fetched at once.</summary>
    public int Concurrency { get; init; } = ConfigDefaults.RestoreConcurrency;

    /// <summary>Plan only: report what would be written and downloaded, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Remove entries under the restored paths that are not in the snapshot.</summary>
    public bool Delete { get; init; }

    /// <summary>--include globs (<see cref="PathFilter"/>): only entries matching one (or under a matching directory), and the directories holding them.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>--exclude globs (<see cref="PathFilter"/>): entries matching one, and everything under a matching directory, are left out.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Re-read every restored file afterwards and check it against the metadata.</summary>
    public bool Verify { get; init; }

    /// <summary>
    /// Restore owners (uid/gid) and, with them, setuid/setgid bits, as tar does; only possible, and on by default,
    /// when running as root. Off (non-root, or root with <c>--no-owner</c>): entries belong to the restoring user
    /// and never get setuid or setgid (<see cref="EntryMetadata.PermissionBits"/>).
    /// </summary>
    public bool RestoreOwnership { get; init; } = Platform.Posix.IsRoot;
}
