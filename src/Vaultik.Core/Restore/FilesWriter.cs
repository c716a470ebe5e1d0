using Microsoft.Win32.SafeHandles;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;

namespace Vaultik.Core.Restore;

/// <summary>
/// Writes one window's restored files with one open each: a file is created (O_CREAT|O_EXCL|O_NOFOLLOW beneath its
/// held parent descriptor, <see cref="TargetTree.CreateForContent"/>) when its first chunk arrives, its chunks are
/// written on that descriptor (runs of zeros are skipped and stay holes; a zero tail is set with ftruncate), and
/// once all of its bytes are there its owner, mode, attributes and times are set on the same descriptor (the
/// finishing action) before it is closed. At most a bounded number of files are open at once (a file fed by
/// several segments stays open between them); one pushed out is fstat-ed and remembered first, and reopened later
/// by name only after checking it is still that inode. Files whose content cannot be completed are deleted.
/// Not thread-safe: during a window's content one writer task uses it, afterwards the window's own thread.
/// </summary>
internal sealed class FilesWriter
{
    private readonly TargetTree _tree;
    private readonly int _maxOpenHandles;
    private readonly Func<SnapshotEntry, bool> _remember;
    private readonly Action<SafeFileHandle, SnapshotEntry>? _finish;
    private readonly Dictionary<long, FileState> _files = [];
    private readonly HashSet<long> _open = [];
    private readonly HashSet<long> _failed = [];

    /// <param name="tree">The target.</param>
    /// <param name="maxOpenHandles">The most files open at once.</param>
    /// <param name="remember">Whether a later step finds the file by name again (a hard link, --verify): its inode is then remembered when created.</param>
    /// <param name="finish">Applies the file's metadata on its open descriptor after its last write; null: the caller applies it later by name.</param>
    public FilesWriter(TargetTree tree, int maxOpenHandles, Func<SnapshotEntry, bool>? remember = null, Action<SafeFileHandle, SnapshotEntry>? finish = null)
    {
        _tree = tree;
        _maxOpenHandles = Math.Max(1, maxOpenHandles);
        _remember = remember ?? (_ => true);
        _finish = finish;
    }

    /// <summary>The files whose creation or writing failed (each reported by the caller).</summary>
    public IReadOnlyCollection<long> Failed => _failed;

    /// <summary>Takes <paramref name="file"/> into the window; nothing is created until its content comes (or <see cref="Complete"/>).</summary>
    public void Add(SnapshotEntry file) => _files[file.Id] = new FileState(file);

    /// <summary>True while <paramref name="fileId"/> is this window's, not failed and not yet complete.</summary>
    public bool Wants(long fileId) => _files.TryGetValue(fileId, out var state) && !state.Complete && !_failed.Contains(fileId);

    /// <summary>The snapshot path of a file taken in.</summary>
    public string EntryPath(long fileId) => _files[fileId].Entry.Path;

    /// <summary>The path the content of <paramref name="fileId"/> is written to (a temporary name until <see cref="Commit"/>).</summary>
    public string PathOf(long fileId) => _files[fileId].WrittenAs ?? _files[fileId].Entry.Path;

    /// <summary>True when the finishing action ran for <paramref name="fileId"/> (its metadata is set).</summary>
    public bool MetadataApplied(long fileId) => _files.TryGetValue(fileId, out var state) && state.MetadataApplied;

    /// <summary>
    /// Writes <paramref name="data"/> at <paramref name="offset"/> of the file (creating it on its first chunk); the
    /// write that brings its last bytes finishes it. Throws on an I/O failure (call <see cref="Fail"/> then).
    /// </summary>
    public void Write(long fileId, ReadOnlySpan<byte> data, long offset)
    {
        var state = _files[fileId];
        var handle = Open(state);
        if (data.IndexOfAnyExcept((byte)0) >= 0)
        {
            PosixFd.WriteAt(handle, data, offset, state.Entry.Path);
            state.WrittenEnd = Math.Max(state.WrittenEnd, offset + data.Length);
        }

        state.Arrived += data.Length;
        if (state.Arrived >= state.Entry.Size)
        {
            Finish(state);
        }
    }

    /// <summary>Marks <paramref name="fileId"/> failed (its error was reported) and closes it; it is discarded later.</summary>
    public void Fail(long fileId)
    {
        _failed.Add(fileId);
        Close(_files[fileId]);
    }

    /// <summary>
    /// Finishes a file no chunk finished: an empty one is created and gets its metadata here. A file whose content
    /// did not all arrive is an error.
    /// </summary>
    public void Complete(long fileId)
    {
        var state = _files[fileId];
        if (state.Complete)
        {
            return;
        }

        if (state.Arrived < state.Entry.Size)
        {
            throw new IOException($"cannot restore {state.Entry.Path}: part of its content never arrived");
        }

        Open(state);
        Finish(state);
    }

    /// <summary>Puts the complete content of <paramref name="fileId"/> in place: a temporary file is renamed over the old one.</summary>
    public void Commit(long fileId)
    {
        if (_files.TryGetValue(fileId, out var state) && state.WrittenAs is { } writtenAs && !string.Equals(writtenAs, state.Entry.Path, StringComparison.Ordinal))
        {
            _tree.Replace(writtenAs, state.Entry.Path);
            state.WrittenAs = state.Entry.Path;
        }

        if (state is not null)
        {
            state.Committed = true;
        }
    }

    /// <summary>Deletes the file created for <paramref name="fileId"/>, if any (a temporary file: the old one stays).</summary>
    public void Discard(long fileId)
    {
        if (_files.Remove(fileId, out var state))
        {
            Close(state);
            if (state.WrittenAs is { } path)
            {
                _tree.DeleteFile(path);
            }
        }
    }

    /// <summary>Deletes every file created and not committed (a restore that stops: nothing incomplete stays).</summary>
    public void DiscardUncommitted()
    {
        foreach (var state in _files.Values.ToList())
        {
            Close(state);
            if (!state.Committed)
            {
                Discard(state.Entry.Id);
            }
        }
    }

    /// <summary>The file's descriptor: made on its first use, reopened (checked to be the inode made) after it was pushed out.</summary>
    private SafeFileHandle Open(FileState state)
    {
        if (state.Handle is { } open)
        {
            return open;
        }

        if (_open.Count >= _maxOpenHandles)
        {
            foreach (var id in _open.ToList())
            {
                var other = _files[id];
                // It will be reopened by name: remember the inode now, from its own descriptor.
                _tree.RememberOpen(other.WrittenAs!, other.Handle!);
                Close(other);
            }
        }

        if (state.WrittenAs is null)
        {
            (state.Handle, state.WrittenAs) = _tree.CreateForContent(state.Entry.Path, _remember(state.Entry));
        }
        else
        {
            state.Handle = _tree.OpenFile(state.WrittenAs);
        }

        _open.Add(state.Entry.Id);
        return state.Handle;
    }

    /// <summary>All bytes are there: a zero tail becomes the file's length, then the metadata, then it is closed.</summary>
    private void Finish(FileState state)
    {
        var handle = state.Handle!;
        if (state.WrittenEnd < state.Entry.Size)
        {
            PosixFd.Truncate(handle, state.Entry.Size, state.Entry.Path);
        }

        state.Complete = true;
        try
        {
            if (_finish is not null)
            {
                state.MetadataApplied = true;
                _finish(handle, state.Entry);
            }
        }
        finally
        {
            Close(state);
        }
    }

    private void Close(FileState state)
    {
        state.Handle?.Dispose();
        state.Handle = null;
        _open.Remove(state.Entry.Id);
    }

    private sealed class FileState(SnapshotEntry entry)
    {
        public SnapshotEntry Entry { get; } = entry;

        public string? WrittenAs { get; set; }

        public SafeFileHandle? Handle { get; set; }

        /// <summary>Bytes of content delivered (written or skipped as zeros).</summary>
        public long Arrived { get; set; }

        /// <summary>The end of the last byte written (beyond it, only zeros arrived).</summary>
        public long WrittenEnd { get; set; }

        public bool Complete { get; set; }

        public bool MetadataApplied { get; set; }

        public bool Committed { get; set; }
    }
}
