using Vaultik.Age;
using Vaultik.Core.Metadata;
using Vaultik.Core.Storage;

namespace Vaultik.Core.Restore;

/// <summary>
/// The fetch verb's work: downloads a snapshot's metadata into a private run directory, finds one file
/// (<see cref="FileFetcher.Find"/>) and streams it to a caller's stream, or atomically to a file.
/// </summary>
public sealed class Fetch
{
    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IIdentity> _identities;

    public Fetch(IObjectStore store, IReadOnlyList<IIdentity> identities)
    {
        _store = store;
        _identities = identities;
    }

    /// <summary>
    /// Writes <paramref name="path"/> of <paramref name="manifest"/>'s snapshot to <paramref name="outputFile"/>
    /// (created atomically with the file's mode and mtime), or, when that is null, to <paramref name="stdout"/>
    /// (flushed, not closed). The decrypted metadata lives in <paramref name="workDirectory"/> (a private
    /// <see cref="Platform.RunDirectory"/>) and is removed before this returns.
    /// </summary>
    public async Task<FetchResult> RunAsync(SnapshotManifest manifest, string path, string? outputFile, Stream stdout, string workDirectory, CancellationToken cancellationToken)
    {
        var work = Path.Combine(workDirectory, "metadata");
        try
        {
            using var db = await MetadataDownloader.OpenAsync(_store, manifest, _identities, work, cancellationToken).ConfigureAwait(false);
            var file = FileFetcher.Find(db, path, manifest.Id);
            var fetcher = new FileFetcher(_store, _identities);
            if (outputFile is not null)
            {
                await fetcher.WriteToFileAsync(db, file, outputFile, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await fetcher.WriteAsync(db, file, stdout, cancellationToken).ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return new FetchResult(file.Size, fetcher.BytesFetched);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }
}
