using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>Creates hard links (to files restored in this run) and symlinks (with their owner and times).</summary>
internal static class LinkRestorer
{
    public static void RestoreHardLinks(TargetTree tree, RestorePlan plan, IReadOnlySet<string> restoredFiles, RestoreStats stats, RestoreErrors errors)
    {
        foreach (var link in plan.HardLinks)
        {
            if (!restoredFiles.Contains(link.HardlinkTo!))
            {
                errors.Add($"cannot restore {link.Path}: it is a hard link of {link.HardlinkTo}, which was not restored");
                continue;
            }

            if (errors.Attempt(link.Path, () => tree.CreateHardLink(link.HardlinkTo!, link.Path)))
            {
                stats.File();
            }
        }
    }

    public static void RestoreSymlinks(TargetTree tree, RestorePlan plan, EntryMetadata metadata, RestoreStats stats, RestoreErrors errors)
    {
        foreach (var link in plan.Symlinks)
        {
            if (errors.Attempt(link.Path, () => Create(tree, link, metadata)))
            {
                stats.Symlink();
            }
        }
    }

    private static void Create(TargetTree tree, SnapshotEntry link, EntryMetadata metadata)
    {
        tree.CreateSymlink(link.Path, link.LinkTarget!);
        metadata.Apply(link, isLink: true);
    }
}
