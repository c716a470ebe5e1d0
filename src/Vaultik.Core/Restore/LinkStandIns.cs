using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// The hard links of a partial restore whose first name (the one with the content in the snapshot) lies outside
/// the selection: the first selected name of each such inode, in path order, is restored as a file with that
/// content (a stand-in), and the inode's other selected names are linked to it. Memory holds one pair of
/// paths per such inode.
/// </summary>
internal sealed class LinkStandIns
{
    private readonly Dictionary<string, string> _byFirstName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _standIns = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="entry"/> (selected, in path order) as it is restored: a hard link whose first name the
    /// selection leaves out, and that has no stand-in yet, becomes the first name's content under its own
    /// path; anything else is returned as it is.
    /// </summary>
    public SnapshotEntry Substitute(MetadataReader snapshot, RestoreSelection selection, SnapshotEntry entry)
    {
        if (!RestoreSelection.IsHardLink(entry) || selection.IncludesFile(entry.HardlinkTo!) || _byFirstName.ContainsKey(entry.HardlinkTo!))
        {
            return entry;
        }

        // The first name's row carries the content (its id keys the chunk list); the link's row its own path and metadata.
        var first = snapshot.FindEntry(entry.HardlinkTo!);
        if (first is null || !RestoreSelection.IsContentFile(first))
        {
            return entry;
        }

        var standIn = first with { Path = entry.Path, Mode = entry.Mode, Uid = entry.Uid, Gid = entry.Gid, MtimeNs = entry.MtimeNs };
        if (RestoreSelection.Refusal(standIn) is not null)
        {
            return entry;
        }

        _byFirstName[entry.HardlinkTo!] = entry.Path;
        _standIns.Add(entry.Path);
        return standIn;
    }

    /// <summary>The stand-in restored for the first name <paramref name="firstName"/>, or null.</summary>
    public string? For(string firstName) => _byFirstName.GetValueOrDefault(firstName);

    /// <summary>Whether <paramref name="path"/> was restored as a stand-in (hard links will name it).</summary>
    public bool IsStandIn(string path) => _standIns.Contains(path);
}
