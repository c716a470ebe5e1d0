using Microsoft.Data.Sqlite;
using Vaultik.Age;
using Vaultik.Core.Chunking;
using Vaultik.Core.Create;
using Vaultik.Core.Index;
using Vaultik.Core.Locking;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Index;

/// <summary>
/// The index's file fingerprints (schema 2): one compact row per file under its directory's id, chunk lists
/// as chunk ids, and rows of files a complete walk no longer sees removed, under that walk's roots only.
/// </summary>
public sealed class FingerprintRowsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-fingerprints-").FullName;
    private readonly MemoryObjectStore _store = new();
    private readonly LocalIndex _index;
    private readonly X25519Recipient _recipient = X25519Identity.Generate().Recipient;

    public FingerprintRowsTests()
    {
        _index = LocalIndex.Open(Path.Combine(_dir, "index.sqlite"), _ => { });
        foreach (var tree in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, tree, "sub"));
            for (var i = 0; i < 4; i++)
            {
                File.WriteAllText(Path.Combine(_dir, tree, $"f{i}.txt"), $"{tree} file {i}");
                var content = new byte[3000];
                new Random(i).NextBytes(content);
                File.WriteAllBytes(Path.Combine(_dir, tree, "sub", $"s{i}.txt"), [.. System.Text.Encoding.UTF8.GetBytes(tree), .. content]);
            }
        }
    }

    public void Dispose()
    {
        _index.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Tree(string name) => Path.Combine(_dir, name);

    private CreateOptions Options(string name, params string[] roots) => new(
        name, roots, [], true, "host", [_recipient], new ChunkerOptions(256, 1024, 4096), 3, 1 << 20, 1, Path.Combine(_dir, "tmp"));

    private async Task<CreateResult> RunAsync(CreateOptions options)
    {
        await using var storeLock = await new StoreLockManager(_store, "host", TimeSpan.FromMinutes(10), _ => { }).AcquireSharedAsync(CancellationToken.None);
        return await new SnapshotCreator(_store, _index, NullCreateObserver.Instance, storeLock).RunAsync(options, new CreateStats(), CancellationToken.None);
    }

    private List<string> FileRows()
    {
        using var db = new SqliteConnection($"Data Source={_index.Path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var select = db.CreateCommand();
        select.CommandText = "SELECT d.path || '/' || f.name FROM files f JOIN dirs d ON d.id = f.dir ORDER BY 1;";
        using var reader = select.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add("/" + reader.GetString(0));
        }

        return rows;
    }

    private IndexedFile? Find(string fullPath)
    {
        var found = _index.Files.Find(fullPath.TrimStart('/'));
        _index.Files.EndLookups();
        return found;
    }

    [Fact]
    public async Task A_file_row_holds_its_fingerprint_and_its_chunks_as_ids_that_resolve_to_the_hashes()
    {
        await RunAsync(Options("a", Tree("a")));

        var path = Path.Combine(Tree("a"), "sub", "s2.txt");
        var info = Vaultik.Core.Platform.Posix.TryLstat(path, out var status, out _) ? status : throw new InvalidOperationException("cannot stat");
        var found = Find(path);
        Assert.NotNull(found);
        Assert.Equal(new FileInfo(path).Length, found.Size);
        Assert.Equal((info.Inode, info.Device, info.MtimeNs, info.CtimeNs), (found.Inode, found.Device, found.MtimeNs, found.CtimeNs));
        Assert.NotNull(found.Chunks);
        Assert.True(found.Chunks.Length > 1, "a 3 KB file with a 1 KB average chunk has several chunks");
        var known = _index.Chunks.LoadHashes();
        Assert.All(found.Chunks, chunk => Assert.Contains(chunk, known));

        using var db = new SqliteConnection($"Data Source={_index.Path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var select = db.CreateCommand();
        select.CommandText = "SELECT max(length(chunks)), (SELECT count(*) FROM dirs), (SELECT max(device) FROM files) FROM files;";
        using var reader = select.ExecuteReader();
        Assert.True(reader.Read());
        Assert.True(reader.GetInt64(0) <= found.Chunks.Length * 2, "chunk ids, not 32-byte hashes");
        Assert.Equal(2, reader.GetInt64(1));
        Assert.Equal(0, reader.GetInt64(2));
        Assert.Null(Find(Path.Combine(Tree("a"), "sub", "missing.txt")));
        Assert.Null(Find(Path.Combine(Tree("b"), "f0.txt")));
    }

    [Fact]
    public async Task A_file_whose_chunks_were_forgotten_is_not_taken_as_unchanged_even_after_they_return()
    {
        await RunAsync(Options("a", Tree("a")));
        var path = Path.Combine(Tree("a"), "f1.txt");
        Assert.NotNull(Find(path)?.Chunks);

        // A prune from another host removed every blob: the chunk rows go, the file row stays.
        _index.Chunks.Reconcile(new Dictionary<Hash256, long>());
        Assert.Empty(_index.Chunks.LoadHashes());
        var stale = Find(path);
        Assert.NotNull(stale);
        Assert.Null(stale.Chunks);

        // The next run stores the chunks again under new ids; the old ids never name another chunk.
        var stats = new CreateStats();
        await using (var storeLock = await new StoreLockManager(_store, "host", TimeSpan.FromMinutes(10), _ => { }).AcquireSharedAsync(CancellationToken.None))
        {
            await new SnapshotCreator(_store, _index, NullCreateObserver.Instance, storeLock).RunAsync(Options("a", Tree("a")), stats, CancellationToken.None);
        }

        Assert.Equal(0, stats.FilesUnchanged);
        Assert.Equal(8, stats.FilesChanged);
        var again = Find(path);
        Assert.NotNull(again?.Chunks);
        Assert.Equal(Hash256.Compute(File.ReadAllBytes(path)), Assert.Single(again.Chunks));
    }

    [Fact]
    public async Task Rows_of_vanished_files_are_removed_under_the_walked_roots_only()
    {
        await RunAsync(Options("a", Tree("a")));
        await RunAsync(Options("b", Tree("b")));
        Assert.Equal(16, FileRows().Count);

        File.Delete(Path.Combine(Tree("a"), "f0.txt"));
        Directory.Delete(Path.Combine(Tree("a"), "sub"), recursive: true);
        File.Delete(Path.Combine(Tree("b"), "f0.txt"));
        var result = await RunAsync(Options("a", Tree("a")));
        Assert.Empty(result.Warnings);

        var rows = FileRows();
        Assert.Equal(["f1.txt", "f2.txt", "f3.txt"], rows.Where(r => r.StartsWith(Tree("a") + "/", StringComparison.Ordinal)).Select(Path.GetFileName));

        // Snapshot b's rows, under another root, stay until b is walked (f0.txt there is gone from disk too).
        Assert.Equal(8, rows.Count(r => r.StartsWith(Tree("b") + "/", StringComparison.Ordinal)));
        Assert.NotNull(Find(Path.Combine(Tree("b"), "f0.txt")));
        using (var db = new SqliteConnection($"Data Source={_index.Path};Mode=ReadOnly;Pooling=False"))
        {
            db.Open();
            using var select = db.CreateCommand();
            select.CommandText = "SELECT count(*) FROM dirs WHERE path LIKE '%/a/sub';";
            Assert.Equal(0L, (long)select.ExecuteScalar()!);
        }

        await RunAsync(Options("b", Tree("b")));
        Assert.Equal(7, FileRows().Count(r => r.StartsWith(Tree("b") + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_root_that_is_a_file_keeps_its_neighbours_rows()
    {
        await RunAsync(Options("a", Tree("a")));
        var single = Path.Combine(Tree("a"), "f1.txt");
        await RunAsync(Options("one", single));
        Assert.Equal(8, FileRows().Count);

        File.Delete(single);
        File.WriteAllText(Path.Combine(Tree("a"), "f1.txt.new"), "a neighbour whose name starts like the root's");
        await RunAsync(Options("a", Tree("a")));
        await RunAsync(Options("one", Path.Combine(Tree("a"), "f2.txt")));
        Assert.Equal(8, FileRows().Count);
        Assert.Null(Find(single));
        Assert.NotNull(Find(single + ".new"));
    }

    [Fact]
    public async Task A_run_with_walk_errors_removes_no_rows()
    {
        await RunAsync(Options("a", Tree("a")));
        File.Delete(Path.Combine(Tree("a"), "f0.txt"));

        // A path past PATH_MAX (made one directory at a time) cannot be statted by its full path: the walk
        // reports it, and the run is partial.
        await ShellAsync("python3 -c \"import os\nfd = os.open('sub', os.O_RDONLY)\nfor i in range(18):\n    n = 'd%0250d' % i\n    os.mkdir(n, dir_fd=fd)\n    fd = os.open(n, os.O_RDONLY, dir_fd=fd)\nos.close(os.open('deep', os.O_CREAT | os.O_WRONLY, dir_fd=fd))\"");
        var partial = await RunAsync(Options("a", Tree("a")));
        Assert.NotEmpty(partial.Warnings);
        Assert.NotNull(Find(Path.Combine(Tree("a"), "f0.txt")));

        await ShellAsync("rm -rf sub/d*");
        var complete = await RunAsync(Options("a", Tree("a")));
        Assert.Empty(complete.Warnings);
        Assert.Null(Find(Path.Combine(Tree("a"), "f0.txt")));
    }

    private async Task ShellAsync(string command)
    {
        using var shell = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", command]) { WorkingDirectory = Tree("a") })!;
        await shell.WaitForExitAsync();
        Assert.Equal(0, shell.ExitCode);
    }
}
