using Vaultik.Core.Metadata;

namespace Vaultik.Core.Diff;

/// <summary>
/// What differs between two entries at one path, named: <c>type</c> (file, dir, symlink; then nothing else is
/// compared but owner, mode and mtime), <c>content</c> (regular files: sizes, then the caller's content check),
/// <c>link_target</c> (symlinks), <c>hardlink</c> (which path a hard link shares its data with), <c>mode</c>
/// (permission bits), <c>owner</c> (uid or gid) and <c>mtime</c>.
/// </summary>
public static class EntryChanges
{
    public const string Type = "type";
    public const string Content = "content";
    public const string LinkTarget = "link_target";
    public const string HardLink = "hardlink";
    public const string Mode = "mode";
    public const string Owner = "owner";
    public const string Mtime = "mtime";

    /// <summary><paramref name="contentDiffers"/> is asked only for two regular files (not hard links) of equal size.</summary>
    public static List<string> Between(SnapshotEntry before, SnapshotEntry after, Func<SnapshotEntry, SnapshotEntry, bool> contentDiffers)
    {
        var what = new List<string>();
        if (before.Type != after.Type)
        {
            what.Add(Type);
        }
        else if (before.HardlinkTo != after.HardlinkTo)
        {
            what.Add(HardLink);
        }
        else if (before.Type == MetadataSchema.TypeFile && before.HardlinkTo is null
            && (before.Size != after.Size || contentDiffers(before, after)))
        {
            what.Add(Content);
        }
        else if (before.Type == MetadataSchema.TypeSymlink && before.LinkTarget != after.LinkTarget)
        {
            what.Add(LinkTarget);
        }

        if (before.Mode != after.Mode)
        {
            what.Add(Mode);
        }

        if (before.Uid != after.Uid || before.Gid != after.Gid)
        {
            what.Add(Owner);
        }

        if (before.MtimeNs != after.MtimeNs)
        {
            what.Add(Mtime);
        }

        return what;
    }
}
