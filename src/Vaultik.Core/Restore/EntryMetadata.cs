using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>Applies an entry's owner (when restoring ownership), mode (not for symlinks) and times to what was restored.</summary>
internal sealed class EntryMetadata
{
    private readonly TargetTree _tree;
    private readonly bool _restoreOwnership;

    public EntryMetadata(TargetTree tree, bool restoreOwnership)
    {
        _tree = tree;
        _restoreOwnership = restoreOwnership;
    }

    public void Apply(SnapshotEntry entry, bool isLink)
    {
        if (_restoreOwnership)
        {
            _tree.SetOwner(entry.Path, entry.Uid, entry.Gid);
        }

        if (!isLink)
        {
            _tree.SetMode(entry.Path, entry.Mode & 0xFFF);
        }

        _tree.SetTimes(entry.Path, entry.MtimeNs);
    }
}
