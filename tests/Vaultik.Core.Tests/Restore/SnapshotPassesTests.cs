using Vaultik.Core.Metadata;
using Vaultik.Core.Restore;

namespace Vaultik.Core.Tests.Restore;

/// <summary>The paged passes over a snapshot see every entry once, in path order, across page boundaries, even with a hostile database's repeated paths.</summary>
public sealed class SnapshotPassesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-passes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>4095 directories p00000… then the path 'q' three times (ids 5000, 5001, 5002): the first page of 4096 ends inside the repeats.</summary>
    private MetadataReader Database() => new(HostileDatabase.BuildRaw(_dir, """
        CREATE TABLE snapshot (key TEXT, value TEXT);
        INSERT INTO snapshot VALUES ('format_version', '2');
        CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT, type TEXT, mode INTEGER, uid INTEGER, gid INTEGER, size INTEGER, mtime_ns INTEGER, link_target TEXT, hardlink_to TEXT);
        CREATE TABLE file_chunks (file_id INTEGER, seq INTEGER, chunk_id INTEGER);
        CREATE TABLE chunks (id INTEGER, hash TEXT, blob_hash TEXT, frame_offset INTEGER, frame_length INTEGER, plain_length INTEGER);
        CREATE TABLE blobs (hash TEXT, size INTEGER);
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4094)
        INSERT INTO files SELECT i + 1, printf('p%05d', i), 'dir', 493, 0, 0, 0, 0, NULL, NULL FROM n;
        INSERT INTO files VALUES (5002, 'q', 'dir', 448, 0, 0, 0, 0, NULL, NULL);
        INSERT INTO files VALUES (5000, 'q', 'dir', 493, 0, 0, 0, 0, NULL, NULL);
        INSERT INTO files VALUES (5001, 'q', 'file', 420, 0, 0, 0, 0, NULL, 'p00001');
        """));

    [Fact]
    public void Windows_keep_every_row_in_path_order_and_the_planner_sees_each_repeat()
    {
        using var snapshot = Database();

        var windows = SnapshotPasses.Windows(snapshot, 4096, long.MaxValue).ToList();
        var all = windows.SelectMany(w => w).ToList();

        Assert.Equal([4096, 2], windows.Select(w => w.Count));
        Assert.Equal(4098, all.Count);
        Assert.Equal(all.Select(e => e.Path).Order(StringComparer.Ordinal), all.Select(e => e.Path));
        Assert.Equal([5000L, 5001L, 5002L], all.Where(e => e.Path == "q").Select(e => e.Id));
        var selection = new RestoreSelection([]);
        Assert.Equal(2, all.Count(selection.Repeats));
    }

    [Fact]
    public void Other_passes_see_a_repeated_path_once_as_its_lowest_id_in_either_direction()
    {
        using var snapshot = Database();

        var up = SnapshotPasses.Entries(snapshot).ToList();
        var down = SnapshotPasses.Entries(snapshot, descending: true, directoriesOnly: true).ToList();
        var links = SnapshotPasses.Entries(snapshot, hardLinksOnly: true).ToList();

        Assert.Equal(4096, up.Count);
        Assert.Equal(5000, up[^1].Id);
        Assert.Equal(4096, down.Count);
        Assert.Equal(5000, down[0].Id);
        Assert.Equal("p00000", down[^1].Path);
        Assert.Equal(5001, Assert.Single(links).Id);
        Assert.Equal(["p00001"], snapshot.HardLinkTargetsBetween("p00000", "p00002"));
        Assert.Empty(snapshot.HardLinkTargetsBetween("p00002", "q"));
    }
}
