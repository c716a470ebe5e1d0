using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;
using Vaultik.Core.Source;

namespace Vaultik.Core.Restore;

/// <summary>
/// Applies an entry's owner (when restoring ownership), mode (not for symlinks), extended attributes and times to
/// what was restored, and decides which mode bits a restored or fetched entry may carry (<see cref="PermissionBits"/>).
/// Attributes come after content, owner and mode (chown and writing content clear security.capability; a POSIX
/// ACL sets the group bits) and before times. <c>security.capability</c> is restored only with owners, like setuid:
/// a store must not hand an owner-less restore a privileged program. An attribute the target refuses is a warning
/// naming the entry and the attribute; the restore goes on.
/// </summary>
internal sealed class EntryMetadata
{
    private const int SetUid = 0x800; // 04000
    private const int SetGid = 0x400; // 02000
    private const int Sticky = 0x200; // 01000

    private readonly TargetTree _tree;
    private readonly bool _restoreOwnership;
    private readonly MetadataReader? _snapshot;
    private readonly RestoreErrors? _errors;
    private Dictionary<long, (List<ExtendedAttribute> Attributes, int Refused)>? _prefetched;
    private HashSet<long>? _prefetchedIds;

    /// <summary>Without <paramref name="snapshot"/> and <paramref name="errors"/>, no extended attributes are applied.</summary>
    public EntryMetadata(TargetTree tree, bool restoreOwnership, MetadataReader? snapshot = null, RestoreErrors? errors = null)
    {
        _tree = tree;
        _restoreOwnership = restoreOwnership;
        _snapshot = snapshot;
        _errors = errors;
    }

    /// <summary>Owner (when restoring ownership), mode (not for symlinks), attributes and times, on one descriptor checked to be the inode the restore made.</summary>
    public void Apply(SnapshotEntry entry, bool isLink) =>
        _tree.ApplyMetadata(
            entry.Path,
            _restoreOwnership ? (entry.Uid, entry.Gid) : null,
            isLink ? null : PermissionBits(entry.Mode, entry.Type == MetadataSchema.TypeDirectory, _restoreOwnership),
            entry.MtimeNs,
            Attributes(entry),
            (attribute, errno) => _errors!.Warn($"cannot set extended attribute {attribute.ShownName} of {entry.Path}: {PosixAt.Reason(errno)}"));

    /// <summary>
    /// The same for a regular file the restore just created and wrote and still holds open (the one-open path):
    /// everything goes through that descriptor, after the last write and before it is closed.
    /// </summary>
    public void ApplyTo(SafeFileHandle file, SnapshotEntry entry) =>
        _tree.ApplyMetadataTo(
            file,
            entry.Path,
            _restoreOwnership ? (entry.Uid, entry.Gid) : null,
            PermissionBits(entry.Mode, isDirectory: false, _restoreOwnership),
            entry.MtimeNs,
            Attributes(entry),
            (attribute, errno) => _errors!.Warn($"cannot set extended attribute {attribute.ShownName} of {entry.Path}: {PosixAt.Reason(errno)}"));

    /// <summary>
    /// Reads the attributes of <paramref name="entries"/> in one query (a window's files); until the next call,
    /// <see cref="Apply"/> and <see cref="ApplyTo"/> take theirs from it and ask the database nothing per entry.
    /// Not thread-safe against those calls: made before the window's content is written.
    /// </summary>
    public void Prefetch(IEnumerable<SnapshotEntry> entries)
    {
        var ids = entries.Select(e => e.Id).ToHashSet();
        _prefetched = _snapshot is null || _errors is null ? [] : _snapshot.Xattrs(ids);
        _prefetchedIds = ids;
    }

    private IReadOnlyList<ExtendedAttribute> Attributes(SnapshotEntry entry)
    {
        if (_snapshot is null || _errors is null)
        {
            return [];
        }

        var (attributes, refused) = _prefetchedIds?.Contains(entry.Id) == true
            ? _prefetched!.GetValueOrDefault(entry.Id, ([], 0))
            : _snapshot.Xattrs(entry.Id);
        if (refused > 0)
        {
            _errors.Add($"cannot restore {entry.Path}: {refused} of its extended attributes break the format's rules (metadata damaged or forged)");
        }

        if (!_restoreOwnership && attributes.Count > 0)
        {
            // Like setuid: without owners, no security.* attribute (capabilities, but also labels such as
            // security.SMACK64EXEC or security.selinux that grant what the restoring user did not choose).
            // A copy: the prefetched list may be applied again (a verify that failed, then a later attempt).
            attributes = attributes.Where(a => !a.Name.AsSpan().StartsWith("security."u8)).ToList();
        }

        return attributes;
    }

    /// <summary>
    /// The permission bits (07777) to give an entry of <paramref name="mode"/>. With its owner restored (root, as
    /// tar does) every bit is kept. Otherwise the entry belongs to whoever restores or fetches it, so setuid and
    /// setgid are dropped (a store must not hand the restoring user, often root, a set-id program of its choosing);
    /// sticky is kept on directories, where it means "only owners may delete", and dropped on files, where Linux
    /// ignores it.
    /// </summary>
    public static int PermissionBits(long mode, bool isDirectory, bool ownerRestored)
    {
        var bits = (int)(mode & 0xFFF);
        if (ownerRestored)
        {
            return bits;
        }

        bits &= ~(SetUid | SetGid);
        return isDirectory ? bits : bits & ~Sticky;
    }
}
