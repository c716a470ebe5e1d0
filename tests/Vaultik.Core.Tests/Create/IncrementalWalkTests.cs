using Microsoft.Data.Sqlite;
using Vaultik.Core.Chunking;
using Vaultik.Age;
using Vaultik.Core.Create;
using Vaultik.Core.Locking;
using Vaultik.Core.Index;
using Vaultik.Core.Storage;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Create;

/// <summary>
/// The daemon's incremental runs: directories outside the dirty paths are taken from the recorded walk,
/// the rest is listed, and the result is the same snapshot a full walk makes.
/// </summary>
public sealed class IncrementalWalkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-incremental-").FullName;
    private readonly MemoryObjectStore _store = new();
    private readonly LocalIndex _index;
    private readonly string _source;
    private readonly X25519Recipient _recipient = X25519Identity.Generate().Recipient;

    public IncrementalWalkTests()
    {
        _index = LocalIndex.Open(Path.Combine(_dir, "index.sqlite"), _ => { });
        _source = Path.Combine(_dir, "src");
        foreach (var dir in new[] { "quiet/deep/deeper", "busy/sub", "empty" })
        {
            Directory.CreateDirectory(Path.Combine(_source, dir));
        }

        for (var i = 0; i < 5; i++)
        {
            File.WriteAllText(Path.Combine(_source, "quiet", $"q{i}.txt"), $"quiet {i}");
            File.WriteAllText(Path.Combine(_source, "quiet/deep/deeper", $"d{i}.txt"), $"deep {i}");
            File.WriteAllText(Path.Combine(_source, "busy/sub", $"b{i}.txt"), $"busy {i}");
        }

        File.CreateSymbolicLink(Path.Combine(_source, "quiet", "link"), "q0.txt");
    }

    public void Dispose()
    {
        _index.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private CreateOptions Options(WalkMode walk, params string[] dirtyRelative) => new(
        "home", [_source], [], true, "host", [_recipient], new ChunkerOptions(64, 256, 1024), 3, 1 << 20, 1,
        Path.Combine(_dir, "tmp"))
    {
        Walk = walk,
        DirtyPaths = new SortedSet<string>(dirtyRelative.Select(p => Path.Combine(_source, p)), StringComparer.Ordinal),
    };

    private async Task<CreateStats> RunAsync(CreateOptions options)
    {
        var stats = new CreateStats();
        await using var storeLock = await new StoreLockManager(_store, "host", TimeSpan.FromMinutes(10), _ => { }).AcquireSharedAsync(CancellationToken.None);
        var result = await new SnapshotCreator(_store, _index, NullCreateObserver.Instance, storeLock).RunAsync(options, stats, CancellationToken.None);
        Assert.Empty(result.Warnings);
        return stats;
    }

    private List<string> RecordedWalk()
    {
        using var db = new SqliteConnection($"Data Source={_index.Path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var select = db.CreateCommand();
        // Only the tree itself: the roots' ancestors (/tmp…) are stat'ed afresh each run and may change.
        select.CommandText = """
            SELECT w.name, w.type, w.size, w.mtime_ns, w.ctime_delta, w.inode, w.span FROM walks w
            JOIN walk_names n ON n.id = w.walk AND n.name = 'home'
            WHERE w.seq >= (SELECT d.seq FROM walk_dirs d WHERE d.walk = n.id AND d.path = $root) ORDER BY w.seq;
            """;
        select.Parameters.AddWithValue("$root", _source);
        using var reader = select.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString())));
        }

        return rows;
    }

    [Fact]
    public async Task Only_dirty_subtrees_are_listed_and_the_recorded_walk_matches_a_full_one()
    {
        await RunAsync(Options(WalkMode.Recorded));
        var changed = Path.Combine(_source, "busy/sub/b1.txt");
        File.WriteAllText(changed, "busy, and longer now");
        File.WriteAllText(Path.Combine(_source, "busy/new.txt"), "new");

        var stats = await RunAsync(Options(WalkMode.Incremental, "busy/sub/b1.txt", "busy/new.txt"));

        // quiet/ (5 files, a symlink, deep/, deep/deeper/ and its 5 files) and empty/ have no dirty path below them.
        Assert.Equal(13, stats.EntriesReused);
        Assert.Equal(16, stats.FilesScanned);
        Assert.Equal(1, stats.FilesChanged);
        Assert.Equal(1, stats.FilesNew);
        Assert.Equal("busy, and longer now".Length + "new".Length, stats.BytesRead);
        var incremental = RecordedWalk();
        Assert.Equal(24, incremental.Count);

        await RunAsync(Options(WalkMode.Recorded));
        Assert.Equal(RecordedWalk(), incremental);
    }

    [Fact]
    public async Task A_change_the_watcher_did_not_report_waits_for_the_next_full_scan()
    {
        await RunAsync(Options(WalkMode.Recorded));
        File.WriteAllText(Path.Combine(_source, "quiet/q3.txt"), "changed behind the watcher's back");

        var incremental = await RunAsync(Options(WalkMode.Incremental));
        Assert.Equal(0, incremental.FilesChanged);
        Assert.Equal(0, incremental.BytesRead);

        var full = await RunAsync(Options(WalkMode.Recorded));
        Assert.Equal(1, full.FilesChanged);
        Assert.Equal(0, full.EntriesReused);
    }

    [Fact]
    public async Task A_directory_moved_in_is_walked_in_full()
    {
        await RunAsync(Options(WalkMode.Recorded));
        var outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(Path.Combine(outside, "inner"));
        File.WriteAllText(Path.Combine(outside, "inner", "x.txt"), "x");
        File.WriteAllText(Path.Combine(outside, "y.txt"), "y");
        Directory.Move(outside, Path.Combine(_source, "quiet", "moved"));

        // inotify reports only the moved directory itself, not what is inside it.
        var stats = await RunAsync(Options(WalkMode.Incremental, "quiet/moved"));
        Assert.Equal(2, stats.FilesNew);
        Assert.Equal(12, stats.EntriesReused);   // below quiet/deep (6) and below busy (6): neither holds a dirty path

        await RunAsync(Options(WalkMode.Recorded));
    }

    [Fact]
    public async Task A_walk_recorded_with_other_excludes_is_not_reused()
    {
        await RunAsync(Options(WalkMode.Recorded) with { Excludes = ["*.tmp"] });
        var stats = await RunAsync(Options(WalkMode.Incremental));
        Assert.Equal(0, stats.EntriesReused);
        Assert.Equal(15, stats.FilesScanned);
    }

    [Fact]
    public void A_path_marked_again_during_a_run_survives_the_runs_cleanup()
    {
        _index.DirtyPaths.Add(["/a", "/b"]);
        var seen = _index.DirtyPaths.Load(limit: 10);
        Assert.Equal(new[] { "/a", "/b" }, seen.Paths!);
        _index.DirtyPaths.Add(["/b", "/c"]);
        _index.DirtyPaths.Remove(seen.ThroughId);
        Assert.Equal(new[] { "/b", "/c" }, _index.DirtyPaths.Load(limit: 10).Paths!);
        Assert.Null(_index.DirtyPaths.Load(limit: 1).Paths);
        Assert.True(_index.DirtyPaths.Any());
    }
}
