using Vaultik.Core.Platform;
using Vaultik.Core.Source;
using Vaultik.Core.Streams;

namespace Vaultik.Core.Create;

/// <summary>
/// The entries of a stream snapshot: a directory (mode 0700) for each parent of the stream's file name, then
/// the file itself, a regular file of mode 0600; all owned by the user running Vaultik and dated now.
/// </summary>
internal static class StreamEntries
{
    public const int FileMode = 0x180; // 0600

    public const int DirectoryMode = 0x1c0; // 0700

    public static IEnumerable<SourceEntry> Directories(StreamInput input, DateTimeOffset now)
    {
        var parts = input.FileName.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            var path = string.Join('/', parts[..i]);
            yield return Entry(path, EntryType.Directory, DirectoryMode, now);
        }
    }

    public static SourceEntry File(StreamInput input, DateTimeOffset now) => Entry(input.FileName, EntryType.File, FileMode, now);

    private static SourceEntry Entry(string path, EntryType type, int mode, DateTimeOffset now) => new(
        path, path, type, mode, Posix.EffectiveUid, Posix.EffectiveGid, Size: 0, MtimeNs: (now - DateTimeOffset.UnixEpoch).Ticks * 100,
        CtimeNs: -1, Inode: 0, Device: 0, LinkCount: 1, LinkTarget: null);
}
