using Vaultik.Core.Metadata;

namespace Vaultik.Core.Mount;

/// <summary>
/// One open directory of the mount: a virtual one's entries (a few, listed from the manifests), or a snapshot
/// directory read page by page (<see cref="MetadataReader.ChildrenPage"/>). Remembers where the last call
/// stopped, so a listing continued from there asks for the rows after the last path handed out; any other
/// position is reached by paging from the start.
/// </summary>
internal sealed class DirectoryCursor
{
    private readonly List<(string Name, MountNode Node)>? _virtual;
    private readonly int _slot;
    private readonly string _directory;
    private long _nextPosition = 2;
    private string? _lastPath;

    public DirectoryCursor(List<(string Name, MountNode Node)>? virtualEntries, int slot, string directory)
    {
        _virtual = virtualEntries;
        _slot = slot;
        _directory = directory;
    }

    /// <summary>Fills from <paramref name="position"/>; false when the snapshot's metadata cannot be opened.</summary>
    public bool Fill(long position, Func<string, MountNode?, long, bool> fill, Func<int, MetadataReader?> open)
    {
        if (position < 1 && !fill(".", null, 1))
        {
            return true;
        }

        if (position < 2 && !fill("..", null, 2))
        {
            return true;
        }

        position = Math.Max(position, 2);
        if (_virtual is not null)
        {
            for (var i = (int)Math.Min(position - 2, _virtual.Count); i < _virtual.Count; i++)
            {
                if (!fill(_virtual[i].Name, _virtual[i].Node, i + 3))
                {
                    break;
                }
            }

            return true;
        }

        if (open(_slot) is not { } snapshot)
        {
            return false;
        }

        if (position != _nextPosition)
        {
            // Not where the last call stopped (a rewind or a seek): page from the start up to there.
            _nextPosition = 2;
            _lastPath = null;
            while (_nextPosition < position)
            {
                var skip = snapshot.ChildrenPage(_directory, _lastPath, (int)Math.Min(MountFileSystem.PageSize, position - _nextPosition));
                if (skip.Count == 0)
                {
                    return true;
                }

                _lastPath = skip[^1].Path;
                _nextPosition += skip.Count;
            }
        }

        var prefix = _directory.Length == 0 ? 0 : _directory.Length + 1;
        while (true)
        {
            var page = snapshot.ChildrenPage(_directory, _lastPath, MountFileSystem.PageSize);
            if (page.Count == 0)
            {
                return true;
            }

            foreach (var entry in page)
            {
                var node = SnapshotNodes.From(snapshot, _slot, entry);
                // A row that breaks the rules is left out of the listing (getattr on it answers EIO).
                if (node is not null && !fill(entry.Path[prefix..], node, _nextPosition + 1))
                {
                    return true;
                }

                _lastPath = entry.Path;
                _nextPosition++;
            }
        }
    }
}
