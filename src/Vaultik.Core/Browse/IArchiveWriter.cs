namespace Vaultik.Core.Browse;

/// <summary>Writes archive members to a non-seekable stream, one at a time, each file's content streamed in (<see cref="TarArchiveWriter"/>, <see cref="ZipArchiveWriter"/>).</summary>
public interface IArchiveWriter : IAsyncDisposable
{
    Task AddAsync(ArchiveItem item, CancellationToken cancellationToken);
}
