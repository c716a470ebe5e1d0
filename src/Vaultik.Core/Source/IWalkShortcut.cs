namespace Vaultik.Core.Source;

/// <summary>
/// Lets a walk reuse what an earlier walk saw below a directory instead of listing it again (the daemon's
/// incremental runs: only subtrees the file watcher saw change are walked).
/// </summary>
public interface IWalkShortcut
{
    /// <summary>
    /// When <paramref name="directory"/> (freshly stat'ed) is known to be unchanged, returns true and, in
    /// <paramref name="contents"/>, every entry below it as the earlier walk yielded them, in walk order.
    /// </summary>
    bool TryReuse(SourceEntry directory, out IEnumerable<SourceEntry> contents);
}
