using System.IO.Compression;
using System.Text;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Browse;

/// <summary>
/// A zip stream (System.IO.Compression) on a non-seekable output: members carry data descriptors, Unix modes
/// (and types, so unzip makes symlinks) in their external attributes and DOS mtimes (2-second, local time).
/// Zip has no hard links and System.IO.Compression writes no owner fields: a hard link is stored as another
/// copy of its content and owners are left out (README "dump"). Content is streamed into each member; the
/// archive keeps one small record per member for the central directory written at the end.
/// </summary>
public sealed class ZipArchiveWriter : IArchiveWriter
{
    private const int TypeDirectory = 0x4000;
    private const int TypeFile = 0x8000;
    private const int TypeSymlink = 0xA000;
    private readonly ZipArchive _zip;

    public ZipArchiveWriter(Stream output) => _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);

    public async Task AddAsync(ArchiveItem item, CancellationToken cancellationToken)
    {
        var e = item.Entry;
        var isDirectory = e.Type == MetadataSchema.TypeDirectory;
        var isLink = e.Type == MetadataSchema.TypeSymlink;
        var entry = _zip.CreateEntry(isDirectory ? item.Name + "/" : item.Name, isDirectory || isLink ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
        entry.ExternalAttributes = ((isDirectory ? TypeDirectory : isLink ? TypeSymlink : TypeFile) | (e.Mode & 0xFFF)) << 16;
        var mtime = EntryText.MtimeOffset(e.MtimeNs);
        entry.LastWriteTime = mtime.Year is >= 1980 and <= 2107 ? mtime.ToLocalTime() : new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        if (isDirectory)
        {
            return;
        }

        var stream = entry.Open();
        await using (stream.ConfigureAwait(false))
        {
            if (isLink)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(e.LinkTarget ?? string.Empty), cancellationToken).ConfigureAwait(false);
            }
            else if (item.WriteContent is not null && e.Size > 0)
            {
                await item.WriteContent(stream, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _zip.Dispose();
        return ValueTask.CompletedTask;
    }
}
