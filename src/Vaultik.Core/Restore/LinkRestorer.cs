using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Creates hard links (to files restored in this run, after every window, streamed from the snapshot in path
/// order) and symlinks (one window's, with their owner and times).
/// </summary>
internal static class LinkRestorer
{
    public static void RestoreHardLinks(TargetTree tree, MetadataReader snapshot, RestoreSelection selection, LinkStandIns standIns, RestoreStats stats, RestoreErrors errors)
    {
        // Refused links were reported when their window was planned; only accepted ones are made here. A link
        // whose first name was left out links to the stand-in that took its content (none: it is that stand-in).
        foreach (var link in SnapshotPasses.Entries(snapshot, hardLinksOnly: true).Where(e => RestoreSelection.IsHardLink(e) && selection.Accepts(e)))
        {
            var existing = standIns.For(link.HardlinkTo!) ?? link.HardlinkTo!;
            if (string.Equals(existing, link.Path, StringComparison.Ordinal))
            {
                continue;
            }

            if (!tree.IsRestoredFile(existing))
            {
                errors.Add($"cannot restore {link.Path}: it is a hard link of {existing}, which was not restored");
                continue;
            }

            if (errors.Attempt(link.Path, () => tree.CreateHardLink(existing, link.Path)))
            {
                stats.File();
                tree.Forget(link.Path, keepLinkCount: true);
            }
        }
    }

    public static void RestoreSymlinks(TargetTree tree, IReadOnlyList<SnapshotEntry> symlinks, EntryMetadata metadata, RestoreStats stats, RestoreErrors errors)
    {
        foreach (var link in symlinks)
        {
            if (errors.Attempt(link.Path, () => Create(tree, link, metadata)))
            {
                stats.Symlink();
            }

            tree.Forget(link.Path);
        }
    }

    private static void Create(TargetTree tree, SnapshotEntry link, EntryMetadata metadata)
    {
        tree.CreateSymlink(link.Path, link.LinkTarget!);
        metadata.Apply(link, isLink: true);
    }
}
