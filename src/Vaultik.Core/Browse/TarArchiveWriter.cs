using System.Formats.Tar;
using System.IO.Pipelines;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Browse;

/// <summary>
/// A pax tar stream (System.Formats.Tar) on a non-seekable output: modes, uid/gid with names, mtimes (to
/// 100 ns), symlinks and hard links. Each file's content is pushed through a 1 MiB pipe by its producer (the
/// frame-by-frame fetch) while <see cref="TarWriter"/> pulls it into the member, so memory stays bounded
/// whatever the file's size.
/// </summary>
public sealed class TarArchiveWriter : IArchiveWriter
{
    private readonly TarWriter _tar;
    private readonly OwnerNames _names;

    public TarArchiveWriter(Stream output, OwnerNames names)
    {
        _tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        _names = names;
    }

    public async Task AddAsync(ArchiveItem item, CancellationToken cancellationToken)
    {
        var e = item.Entry;
        var type = item.HardLinkName is not null ? TarEntryType.HardLink
            : e.Type == MetadataSchema.TypeDirectory ? TarEntryType.Directory
            : e.Type == MetadataSchema.TypeSymlink ? TarEntryType.SymbolicLink
            : TarEntryType.RegularFile;
        var name = type == TarEntryType.Directory ? item.Name + "/" : item.Name;
        var entry = new PaxTarEntry(type, name)
        {
            Mode = (UnixFileMode)(e.Mode & 0xFFF),
            Uid = (int)Math.Clamp(e.Uid, 0, int.MaxValue),
            Gid = (int)Math.Clamp(e.Gid, 0, int.MaxValue),
            UserName = _names.User(e.Uid) ?? string.Empty,
            GroupName = _names.Group(e.Gid) ?? string.Empty,
            ModificationTime = EntryText.MtimeOffset(e.MtimeNs),
        };
        if (type == TarEntryType.SymbolicLink)
        {
            entry.LinkName = e.LinkTarget ?? string.Empty;
        }
        else if (type == TarEntryType.HardLink)
        {
            entry.LinkName = item.HardLinkName!;
        }

        if (type != TarEntryType.RegularFile || item.WriteContent is null || e.Size == 0)
        {
            await _tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            return;
        }

        await WithContentAsync(entry, e.Size, item.WriteContent, cancellationToken).ConfigureAwait(false);
    }

    private async Task WithContentAsync(PaxTarEntry entry, long size, Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
        var produce = Task.Run(async () =>
        {
            try
            {
                await writeContent(pipe.Writer.AsStream(), cancellationToken).ConfigureAwait(false);
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);
        try
        {
            entry.DataStream = new SizedReadStream(pipe.Reader.AsStream(), size);
            await _tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await pipe.Reader.CompleteAsync(ex).ConfigureAwait(false);
            // The producer's own failure (it stopped because the member did) is this one's consequence; if it
            // failed first, its exception is what the reader saw, and is the one worth reporting.
            await Task.WhenAny(produce).ConfigureAwait(false);
            throw produce.Exception?.InnerException ?? ex;
        }

        await produce.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _tar.DisposeAsync();
}
