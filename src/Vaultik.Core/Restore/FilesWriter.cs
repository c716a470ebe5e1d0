using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Restore;

/// <summary>
/// Writes restored file content into the target: creates each file pre-sized (so runs of zeros can stay
/// holes), then hands out <see cref="FileHandles"/>, each keeping at most a bounded number of write handles
/// open, and deletes files whose content could not be completed. Files are created before content is written;
/// after that the writer is only read, so handle sets may be used from several threads (one set each).
/// </summary>
internal sealed class FilesWriter
{
    private readonly TargetTree _tree;
    private readonly int _maxOpenHandles;
    private readonly Dictionary<long, string> _created = [];
    private readonly Dictionary<long, string> _final = [];
    private readonly HashSet<long> _committed = [];

    public FilesWriter(TargetTree tree, int maxOpenHandles)
    {
        _tree = tree;
        _maxOpenHandles = maxOpenHandles;
    }

    /// <summary>
    /// Creates <paramref name="file"/> empty and sized to its length; when overwriting a file that is there, under
    /// a temporary name beside it that <see cref="Commit"/> renames over it (<see cref="TargetTree.CreateFileStaged"/>).
    /// </summary>
    public void Create(SnapshotEntry file)
    {
        var (handle, writtenAs) = _tree.CreateFileStaged(file.Path);
        _created[file.Id] = writtenAs;
        _final[file.Id] = file.Path;
        using (handle)
        {
            if (file.Size > 0)
            {
                RandomAccess.SetLength(handle, file.Size);
            }
        }
    }

    public bool IsCreated(long fileId) => _created.ContainsKey(fileId);

    /// <summary>The path the content of <paramref name="fileId"/> is written to (a temporary name until <see cref="Commit"/>).</summary>
    public string PathOf(long fileId) => _created[fileId];

    /// <summary>Puts the complete content of <paramref name="fileId"/> in place: a temporary file is renamed over the old one.</summary>
    public void Commit(long fileId)
    {
        if (_created.TryGetValue(fileId, out var writtenAs) && _final[fileId] is var path && !string.Equals(writtenAs, path, StringComparison.Ordinal))
        {
            _tree.Replace(writtenAs, path);
            _created[fileId] = path;
        }

        _committed.Add(fileId);
    }

    /// <summary>Deletes the file created for <paramref name="fileId"/>, if any (a temporary file: the old one stays).</summary>
    public void Discard(long fileId)
    {
        if (_created.Remove(fileId, out var path))
        {
            _tree.DeleteFile(path);
        }
    }

    /// <summary>Deletes every file created and not committed (a restore that stops: nothing incomplete stays).</summary>
    public void DiscardUncommitted()
    {
        foreach (var (id, path) in _created.Where(c => !_committed.Contains(c.Key)).ToList())
        {
            _created.Remove(id);
            _tree.DeleteFile(path);
        }
    }

    /// <summary>A set of write handles for one worker; dispose it to close them.</summary>
    public FileHandles OpenHandles() => new(this);

    /// <summary>Write handles of one worker: at most the writer's bound open at once, so a blob of many small files cannot exhaust file descriptors.</summary>
    internal sealed class FileHandles : IDisposable
    {
        private readonly FilesWriter _writer;
        private readonly Dictionary<long, SafeFileHandle> _open = [];

        public FileHandles(FilesWriter writer) => _writer = writer;

        /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> of a created file.</summary>
        public void Write(long fileId, ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(Handle(fileId), data, offset);

        public void Dispose() => CloseAll();

        private SafeFileHandle Handle(long fileId)
        {
            if (_open.TryGetValue(fileId, out var handle))
            {
                return handle;
            }

            if (_open.Count >= _writer._maxOpenHandles)
            {
                CloseAll();
            }

            handle = _writer._tree.OpenFile(_writer._created[fileId]);
            _open[fileId] = handle;
            return handle;
        }

        private void CloseAll()
        {
            foreach (var open in _open.Values)
            {
                open.Dispose();
            }

            _open.Clear();
        }
    }
}
