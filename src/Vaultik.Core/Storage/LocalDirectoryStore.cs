using System.Runtime.CompilerServices;

namespace Vaultik.Core.Storage;

/// <summary>
/// A store in a local directory: one file per object under the key's path. Puts write a temporary file in
/// the target directory, fsync it, rename it into place and fsync the directory, so an object is either
/// whole or absent, even after a crash. Temporary files (<c>.tmp-*</c>) are never listed.
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

    public async Task PutAsync(string key, Stream content, bool createOnly = false, CancellationToken cancellationToken = default)
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

            if (createOnly)
            {
                try
                {
                    File.Move(temp, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    throw new ObjectAlreadyExistsException(key);
                }
            }
            else
            {
                File.Move(temp, path, overwrite: true);
            }

            SyncDirectory(directory);
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
    /// Hard-links the file into the store (fsynced, then renamed into place) when both are on one filesystem,
    /// so a large blob is not copied; otherwise streams it like <see cref="PutAsync"/>.
    /// </summary>
    public async Task PutFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        var target = PathOf(key);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            Platform.Posix.CreateHardLink(path, temp);
        }
        catch (IOException)
        {
            // Another filesystem (EXDEV), or links not allowed there: copy instead.
            await using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await PutAsync(key, content, createOnly: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.Open, FileAccess.Write))
            {
                RandomAccess.FlushToDisk(handle);
            }

            File.Move(temp, target, overwrite: true);
            SyncDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot write {key} to {Location}: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(temp);
        }
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
