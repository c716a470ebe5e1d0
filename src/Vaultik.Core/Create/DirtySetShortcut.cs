using Vaultik.Core.Index;
using Vaultik.Core.Source;

namespace Vaultik.Core.Create;

/// <summary>
/// The daemon's incremental walk: a directory is reused from the previous walk when no path the file watcher
/// marked is the directory or below it, and the previous walk saw the same directory (inode, device, mtime,
/// ctime). A directory moved in from elsewhere therefore never matches and is walked in full.
/// </summary>
internal sealed class DirtySetShortcut : IWalkShortcut
{
    private readonly SortedSet<string> _dirty;
    private readonly PreviousWalk _previous;
    private readonly CreateStats _stats;

    public DirtySetShortcut(SortedSet<string> dirty, PreviousWalk previous, CreateStats stats)
    {
        _dirty = dirty;
        _previous = previous;
        _stats = stats;
    }

    public bool TryReuse(SourceEntry directory, out IEnumerable<SourceEntry> contents)
    {
        contents = [];
        if (IsDirty(directory.FullPath) || !_previous.TryFindUnchangedDirectory(directory, out var seq, out var endSeq))
        {
            return false;
        }

        contents = Counted(_previous.Range(directory, seq, endSeq));
        return true;
    }

    private bool IsDirty(string path)
    {
        if (_dirty.Contains(path))
        {
            return true;
        }

        // Ordinal order: every path below "dir/" sorts between "dir/" and "dir0" ('0' follows '/'), and only
        // "dir0" itself can share that range without being below, as its last element.
        var prefix = path == "/" ? "/" : path + "/";
        var upper = path == "/" ? "0" : path + "0";
        foreach (var candidate in _dirty.GetViewBetween(prefix, upper))
        {
            return candidate.StartsWith(prefix, StringComparison.Ordinal);
        }

        return false;
    }

    private IEnumerable<SourceEntry> Counted(IEnumerable<SourceEntry> entries)
    {
        foreach (var entry in entries)
        {
            _stats.EntryReused();
            yield return entry;
        }
    }
}
