using Vaultik.Age;
using Vaultik.Core.Metadata;

namespace Vaultik.Core.Mount;

/// <summary>
/// The snapshots whose metadata the mount has opened: each downloaded and decrypted on first access into its
/// own folder under the mount's private run directory, and kept until more than <see cref="Capacity"/> are open,
/// when the least recently used is closed and its folder deleted. A snapshot that cannot be opened is reported
/// once (through the warning callback) and answers EIO from then on. Not thread-safe (the model serialises).
/// </summary>
public sealed class OpenSnapshots : IDisposable
{
    public const int DefaultCapacity = 8;

    private readonly IMountSource _source;
    private readonly IReadOnlyList<SnapshotManifest> _manifests;
    private readonly string _workDirectory;
    private readonly Action<string> _warn;
    private readonly LinkedList<(int Slot, MetadataReader Reader)> _open = new();
    private readonly Dictionary<int, string> _failed = [];

    public OpenSnapshots(IMountSource source, IReadOnlyList<SnapshotManifest> manifests, string workDirectory, Action<string> warn, int capacity = DefaultCapacity)
    {
        _source = source;
        _manifests = manifests;
        _workDirectory = workDirectory;
        _warn = warn;
        Capacity = Math.Max(1, capacity);
    }

    public int Capacity { get; }

    /// <summary>How many are open now.</summary>
    public int Count => _open.Count;

    /// <summary>The opened metadata of snapshot <paramref name="slot"/>, or null when it cannot be opened.</summary>
    public MetadataReader? Get(int slot)
    {
        for (var node = _open.First; node is not null; node = node.Next)
        {
            if (node.Value.Slot == slot)
            {
                _open.Remove(node);
                _open.AddFirst(node);
                return node.Value.Reader;
            }
        }

        if (_failed.ContainsKey(slot))
        {
            return null;
        }

        var manifest = _manifests[slot];
        var directory = Folder(slot);
        try
        {
            Directory.CreateDirectory(directory);
            var reader = _source.Open(manifest, directory);
            try
            {
                reader.PrepareForBrowsing();
            }
            catch
            {
                reader.Dispose();
                throw;
            }

            _open.AddFirst((slot, reader));
        }
        catch (Exception ex) when (ex is VaultikException or AgeException or IOException or UnauthorizedAccessException)
        {
            _failed[slot] = $"cannot open snapshot {manifest.Id}: {ex.Message}";
            _warn(_failed[slot]);
            Remove(directory);
            return null;
        }

        while (_open.Count > Capacity)
        {
            var last = _open.Last!.Value;
            _open.RemoveLast();
            Close(last.Slot, last.Reader);
        }

        return _open.First!.Value.Reader;
    }

    /// <summary>Why snapshot <paramref name="slot"/> could not be opened (the message warned), or null.</summary>
    public string? Failure(int slot) => _failed.GetValueOrDefault(slot);

    private string Folder(int slot) => Path.Combine(_workDirectory, $"snapshot-{slot}");

    private void Close(int slot, MetadataReader reader)
    {
        reader.Dispose();
        Remove(Folder(slot));
    }

    private static void Remove(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose()
    {
        foreach (var (slot, reader) in _open)
        {
            Close(slot, reader);
        }

        _open.Clear();
    }
}
