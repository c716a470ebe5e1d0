using System.Runtime.CompilerServices;

namespace Vaultik.Core.Storage;

/// <summary>
/// A store in a local directory: one file per object under the key's path. Puts write a temporary file in
/// the target directory, fsync it, hard-link it into place (link(2) never replaces an existing name, so every
/// write is create-only) and fsync the directory, so an object is either whole or absent, even after a crash.
/// Temporary files (<c>.tmp-*</c>) are never listed.
/// </summary>
public sealed class LocalDirectoryStore : IObjectStore
{
    private const string TempPrefix = ".tmp-";
    private readonly string _root;

    public LocalDirectoryStore(string root)
    {
        _root = Path.GetFullPath(root).TrimEnd('/');
        if (File.Exists(_root))
        {
            throw new StorageException($"cannot use store {_root}: it is a file, not a directory");
        }
    }

    public string Location => "file://" + _root;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, 1 << 20, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            LinkNew(key, temp, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not ObjectAlreadyExistsException)
        {
            throw new StorageException($"cannot write {key} to {Location}: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Hard-links the file into the store (fsynced first) when both are on one filesystem, so a large blob is
    /// not copied; otherwise streams it like <see cref="PutAsync"/>. Create-only either way.
    /// </summary>
    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read))
            {
                RandomAccess.FlushToDisk(handle);
            }

            LinkNew(key, path, target);
        }
        catch (IOException) when (!File.Exists(target))
        {
            // Another filesystem (EXDEV), or links not allowed there: copy instead.
            await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await PutAsync(key, content, cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StorageException($"cannot write {key} to {Location}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Makes the durable file <paramref name="source"/> visible as <paramref name="target"/> with link(2), which
    /// fails rather than replace an existing name: the store's write-once rule, enforced by the kernel.
    /// </summary>
    private static void LinkNew(string key, string source, string target)
    {
        try
        {
            Platform.Posix.CreateHardLink(source, target);
        }
        catch (IOException ex) when (File.Exists(target) || Directory.Exists(target))
        {
            throw new ObjectAlreadyExistsException(key, ex);
        }

        SyncDirectory(Path.GetDirectoryName(target)!);
    }

    public Task<Stream> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ObjectNotFoundException(key, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot read {key} from {Location}: {ex.Message}", ex);
        }

        if (range is not { } r)
        {
            return Task.FromResult<Stream>(file);
        }

        file.Position = Math.Min(r.Offset, file.Length);
        return Task.FromResult<Stream>(new BoundedReadStream(file, Math.Min(r.Length, file.Length - file.Position)));
    }

    /// <summary>A local directory keeps one version of each object: there is no other version to open.</summary>
    public Task<Stream> GetVersionAsync(string key, string versionId, ByteRange? range = null, CancellationToken cancellationToken = default) =>
        throw new StorageException($"cannot read version {versionId} of {key}: {Location} keeps no versions");

    public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(PathOf(key));
        return info.Exists
            ? Task.FromResult(new ObjectInfo(key, info.Length, info.LastWriteTimeUtc))
            : throw new ObjectNotFoundException(key);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        // Walk only the directory that can contain the prefix, then filter by the full key.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash]);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var keys = new List<(string Key, FileInfo Info)>();
        foreach (var file in new DirectoryInfo(start).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Name.StartsWith(TempPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = file.FullName[(_root.Length + 1)..];
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                keys.Add((key, file));
            }
        }

        keys.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (key, info) in keys)
        {
            yield return new ObjectInfo(key, info.Length, info.LastWriteTimeUtc);
        }
    }

    /// <summary>One version per object, with a null id: a local directory keeps no history.</summary>
    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var info in ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return new ObjectVersion(info.Key, null, info.Size, info.LastModified, IsDeleteMarker: false);
        }
    }

    public Task ExtendRetentionAsync(string key, string? versionId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        throw new StorageException($"cannot extend the retention of {key}: {Location} is a local directory, which has no Object Lock");

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return Task.CompletedTask;
        }

        try
        {
            File.Delete(path);
            PruneEmptyDirectories(Path.GetDirectoryName(path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot delete {key} from {Location}: {ex.Message}", ex);
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        ObjectKeys.Validate(key);
        return Path.Combine(_root, key);
    }

    /// <summary>Removes empty directories up to, but not including, the store's top-level folders.</summary>
    private void PruneEmptyDirectories(string directory)
    {
        while (directory.Length > _root.Length + 1 && Path.GetDirectoryName(directory) != _root
            && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
            directory = Path.GetDirectoryName(directory)!;
        }
    }

    private static void SyncDirectory(string directory) => Platform.Posix.FsyncDirectory(directory);
}
