using System.Text;
using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Restore;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Browse;

/// <summary>
/// The dump verb's work: a file's content to a stream (as fetch does), or a directory (or, with an archive
/// format, a single entry) as a tar or zip stream. Members are named relative to the dumped directory (the
/// directory itself is not a member), come in path order from <see cref="SnapshotListing.Below"/>, and each
/// file's content is read frame by frame with every chunk's SHA-256 checked (<see cref="FileFetcher"/>).
/// Entries restore would refuse (unsafe paths, malformed rows) are reported and left out.
/// </summary>
public sealed class SnapshotDump
{
    private readonly FileFetcher _fetcher;

    public SnapshotDump(IObjectStore store, IReadOnlyList<IIdentity> identities) => _fetcher = new FileFetcher(store, identities);

    /// <summary>Bytes downloaded for content, not counting the metadata.</summary>
    public long BytesFetched => _fetcher.BytesFetched;

    /// <summary>Whether <paramref name="path"/> names a directory (or the top), i.e. whether a dump of it is an archive.</summary>
    public static bool IsDirectory(MetadataReader snapshot, string path, string snapshotId) =>
        SnapshotListing.Find(snapshot, path, snapshotId, "dump") is not { } entry || entry.Type == MetadataSchema.TypeDirectory;

    public async Task<DumpResult> RunAsync(
        MetadataReader snapshot, string path, string snapshotId, ArchiveFormat? format, Stream output, OwnerNames names, Action<string> onError, CancellationToken cancellationToken)
    {
        var entry = SnapshotListing.Find(snapshot, path, snapshotId, "dump");
        var isDirectory = entry is null || entry.Type == MetadataSchema.TypeDirectory;
        if (!isDirectory && format is null)
        {
            var file = FileFetcher.Find(snapshot, path, snapshotId);
            await _fetcher.WriteAsync(snapshot, file, output, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new DumpResult(0, file.Size, 0);
        }

        var archive = format ?? ArchiveFormat.Tar;
        var baseDir = isDirectory ? entry?.Path ?? string.Empty : Parent(entry!.Path);
        var members = isDirectory ? SnapshotListing.Below(snapshot, baseDir, recursive: true) : [entry!];
        long count = 0, bytes = 0;
        var refused = 0;
        var writer = archive == ArchiveFormat.Tar ? (IArchiveWriter)new TarArchiveWriter(output, names) : new ZipArchiveWriter(output);
        await using (writer.ConfigureAwait(false))
        {
            string? previous = null;
            foreach (var member in members)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var item = Item(snapshot, member, baseDir, isDirectory, snapshotId, archive, out var problem);
                if (item is not null)
                {
                    item = ArchiveNames.Decode(item, out problem);
                }

                // Members come in path order, so a path a forged database repeats is the previous one again:
                // one member per name, as restore allows one entry per path.
                if (item is not null && string.Equals(member.Path, previous, StringComparison.Ordinal))
                {
                    item = null;
                    problem = "the path is repeated (metadata damaged or forged)";
                }

                previous = member.Path;

                if (item is null)
                {
                    onError($"cannot dump {EntryText.Path(member.Path)}: {problem}");
                    refused++;
                    continue;
                }

                await writer.AddAsync(item, cancellationToken).ConfigureAwait(false);
                count++;
                bytes += item.WriteContent is null ? 0 : item.Entry.Size;
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new DumpResult(count, bytes, refused);
    }

    /// <summary>
    /// Whether the hard link target <paramref name="path"/> is itself a member with content (a regular file that is not
    /// refused), so a tar link entry to it extracts; otherwise the link's content is stored again.
    /// </summary>
    private static bool WrittenAsContent(MetadataReader snapshot, string path) =>
        snapshot.FindEntry(path) is { } target && RestoreSelection.IsContentFile(target) && target.HardlinkTo is null && RestoreSelection.Refusal(target) is null;

    /// <summary>The archive member for <paramref name="e"/>, or null with the reason it is left out.</summary>
    private ArchiveItem? Item(MetadataReader snapshot, SnapshotEntry e, string baseDir, bool isDirectory, string snapshotId, ArchiveFormat archive, out string? problem)
    {
        problem = RestoreSelection.Refusal(e) is { } refusal ? $"refused ({refusal})" : null;
        if (problem is not null)
        {
            return null;
        }

        var name = baseDir.Length == 0 ? e.Path : e.Path[(baseDir.Length + 1)..];
        if (!RestoreSelection.IsContentFile(e) && !RestoreSelection.IsHardLink(e))
        {
            return new ArchiveItem(name, e, null, null);
        }

        var link = e.HardlinkTo;
        if (link is not null && archive == ArchiveFormat.Tar && isDirectory && link != e.Path && PathRules.IsUnder(link, baseDir) && baseDir != link && Before(link, e.Path)
            && WrittenAsContent(snapshot, link))
        {
            // Its target is an earlier member of this archive: a tar hard link entry.
            return new ArchiveItem(name, e, baseDir.Length == 0 ? link : link[(baseDir.Length + 1)..], null);
        }

        SnapshotEntry file;
        try
        {
            file = link is null ? e : FileFetcher.Find(snapshot, e.Path, snapshotId);
        }
        catch (VaultikException ex)
        {
            problem = ex.Message.Replace($"cannot fetch {e.Path}: ", string.Empty, StringComparison.Ordinal);
            return null;
        }

        // A hard link stored as content keeps its own row's mode, owner and time, with its target's chunks.
        var member = file with { Path = e.Path, Mode = e.Mode, Uid = e.Uid, Gid = e.Gid, MtimeNs = e.MtimeNs, HardlinkTo = null };
        return new ArchiveItem(name, member, null, (stream, ct) => _fetcher.WriteAsync(snapshot, file, stream, ct));
    }

    /// <summary>SQLite's path order (UTF-8 bytes): whether <paramref name="a"/> comes before <paramref name="b"/>.</summary>
    private static bool Before(string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)) < 0;

    private static string Parent(string path) => path.LastIndexOf('/') is var slash and > 0 ? path[..slash] : string.Empty;
}
