using System.Globalization;
using System.Text;
using Vaultik.Core.Metadata;
using Vaultik.Core.Mount;
using Vaultik.Core.Packing;
using Vaultik.Core.Tests.Restore;

namespace Vaultik.Core.Tests.Mount;

/// <summary>
/// A store stand-in for the mount's model: each snapshot's metadata is an SQL script run into a fresh database
/// when opened; chunk contents come from memory, laid out by <see cref="AddFile"/>.
/// </summary>
internal sealed class FakeMountSource : IMountSource
{
    private readonly Dictionary<string, StringBuilder> _sql = new(StringComparer.Ordinal);
    private readonly Dictionary<Hash256, byte[]> _chunks = [];
    private long _nextChunk = 1;

    public int Opens { get; private set; }

    public List<int> ChunkRequests { get; } = [];

    public SnapshotManifest AddSnapshot(string id, string host, string name, DateTimeOffset created)
    {
        _sql[id] = new StringBuilder($"INSERT INTO blobs VALUES ('{HostileDatabase.Blob}', 1000000000);");
        return new SnapshotManifest(3, id, host, name, created, 0, 0, new string('0', 64), 0, []);
    }

    public void Sql(string id, string sql) => _sql[id].Append(sql);

    public void AddEntry(string id, long fileId, string path, string type, int mode = 420, long uid = 0, long gid = 0, long size = 0, long mtimeNs = 0, string? link = null, string? hardlinkTo = null) =>
        Sql(id, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO files VALUES ({fileId}, '{path}', '{type}', {mode}, {uid}, {gid}, {size}, {mtimeNs}, {Quote(link)}, {Quote(hardlinkTo)});"));

    /// <summary>A regular file whose content is <paramref name="parts"/>, one chunk each, frames laid out one after another in one blob.</summary>
    public void AddFile(string id, long fileId, string path, params byte[][] parts)
    {
        AddEntry(id, fileId, path, MetadataSchema.TypeFile, size: parts.Sum(p => (long)p.Length));
        for (var seq = 0; seq < parts.Length; seq++)
        {
            var hash = Hash256.Compute(parts[seq]);
            _chunks[hash] = parts[seq];
            var chunk = _nextChunk++;
            Sql(id, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO chunks VALUES ({chunk}, '{hash}', '{HostileDatabase.Blob}', {chunk * 1000}, 10, {parts[seq].Length}); INSERT INTO file_chunks VALUES ({fileId}, {seq}, {chunk});"));
        }
    }

    public MetadataReader Open(SnapshotManifest manifest, string directory)
    {
        Opens++;
        return new MetadataReader(HostileDatabase.Build(directory, _sql[manifest.Id].ToString()));
    }

    public void ReadChunks(Hash256 blob, long blobSize, IReadOnlyList<PackedChunk> chunks, Action<PackedChunk, ReadOnlyMemory<byte>> onChunk)
    {
        ChunkRequests.Add(chunks.Count);
        foreach (var chunk in chunks.OrderBy(c => c.FrameOffset))
        {
            onChunk(chunk, _chunks[chunk.Hash]);
        }
    }

    private static string Quote(string? text) => text is null ? "NULL" : $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";
}
