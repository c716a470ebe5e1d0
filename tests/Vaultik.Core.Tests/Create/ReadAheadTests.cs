using Microsoft.Data.Sqlite;
using Vaultik.Age;
using Vaultik.Core.Chunking;
using Vaultik.Core.Create;
using Vaultik.Core.Index;
using Vaultik.Core.Locking;
using Vaultik.Core.Metadata;
using Vaultik.Core.Platform;
using Vaultik.Core.Source;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Create;

/// <summary>
/// The read-ahead stage: small files are read, cut and hashed on worker threads, yet the snapshot's rows come
/// out in walk order with the chunks the streaming path cuts, and a file that changes while a worker reads it
/// is read again (or named) exactly as on one thread.
/// </summary>
public sealed class ReadAheadTests : IDisposable
{
    private static readonly ChunkerOptions Chunker = new(64, 256, 1024);
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-readahead-").FullName;
    private readonly MemoryObjectStore _store = new();
    private readonly LocalIndex _index;
    private readonly string _source;
    private readonly X25519Identity _identity = X25519Identity.Generate();

    public ReadAheadTests()
    {
        _index = LocalIndex.Open(Path.Combine(_dir, "index.sqlite"), _ => { });
        _source = Path.Combine(_dir, "src");
        Directory.CreateDirectory(_source);
    }

    public void Dispose()
    {
        _index.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Rows_and_chunks_come_out_in_walk_order_as_one_thread_makes_them()
    {
        var random = new Random(7);
        for (var d = 0; d < 30; d++)
        {
            // Files and subdirectories interleave in name order, so a directory's files are split by a subtree.
            var dir = Path.Combine(_source, $"d{d:00}");
            Directory.CreateDirectory(Path.Combine(dir, "m-sub", "deeper"));
            for (var f = 0; f < 80; f++)
            {
                var bytes = new byte[random.Next(0, 3000)];
                random.NextBytes(bytes);
                File.WriteAllBytes(Path.Combine(dir, f % 2 == 0 ? $"a{f:00}" : $"z{f:00}"), bytes);
                File.WriteAllBytes(Path.Combine(dir, "m-sub", "deeper", $"f{f:00}"), bytes);
            }
        }

        var large = new byte[ReadAhead.SmallFileLimit + 12345];
        random.NextBytes(large);
        File.WriteAllBytes(Path.Combine(_source, "d05", "large.bin"), large);
        using (var ln = System.Diagnostics.Process.Start("ln", [Path.Combine(_source, "d07", "a00"), Path.Combine(_source, "d07", "linked")]))
        {
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }

        File.CreateSymbolicLink(Path.Combine(_source, "d08", "link"), "a00");
        var unreadable = Path.Combine(_source, "d09", "a10");

        var (result, rows) = await SnapshotAsync(path => path == unreadable ? throw new UnauthorizedAccessException() : Posix.OpenForReading(path));

        Assert.Equal([$"{unreadable}: permission denied"], result.Warnings);
        var walked = new FileSystemWalker(new WalkOptions([]), NullWalkObserver.Instance).Walk([_source])
            .Where(e => e.FullPath != unreadable).Select(e => e.Path).ToList();
        Assert.Equal(walked, rows.Select(r => r.Path).ToList());
        foreach (var (path, chunks, _) in rows.Where(r => r.Chunks is not null && r.HardlinkTo is null))
        {
            Assert.Equal(Streamed("/" + path), chunks);
        }

        Assert.Single(rows, r => r.HardlinkTo is not null);
        Assert.Equal("d07/a00", rows.Single(r => r.Path.EndsWith("d07/linked", StringComparison.Ordinal)).HardlinkTo?[^7..]);
    }

    [Fact]
    public async Task A_small_file_changed_while_a_worker_reads_it_is_read_again()
    {
        var others = Enumerable.Range(0, 500).Select(i => Path.Combine(_source, $"f{i:000}")).ToList();
        others.ForEach(p => File.WriteAllText(p, p));
        var changing = Path.Combine(_source, "f250");
        var opens = 0;
        var (result, rows) = await SnapshotAsync(path =>
        {
            var handle = Posix.OpenForReading(path);
            if (path == changing && Interlocked.Increment(ref opens) == 1)
            {
                // Changed after the open and before the stat that follows the read: the first read is not kept.
                File.WriteAllText(path, "second version, longer than the first");
            }

            return handle;
        });

        Assert.Empty(result.Warnings);
        Assert.Equal(2, opens);
        Assert.Equal(Streamed(changing), rows.Single(r => "/" + r.Path == changing).Chunks);
    }

    [Fact]
    public async Task A_small_file_that_keeps_changing_is_named_and_stored_as_last_read()
    {
        var changing = Path.Combine(_source, "busy");
        File.WriteAllText(changing, "0");
        var opens = 0;
        var (result, rows) = await SnapshotAsync(path =>
        {
            var handle = Posix.OpenForReading(path);
            if (path == changing)
            {
                File.WriteAllText(path, $"version {Interlocked.Increment(ref opens)}");
            }

            return handle;
        });

        Assert.Equal([$"{changing}: changed while being read 3 times; stored the last version read, which may be inconsistent"], result.Warnings);
        Assert.Equal(3, opens);
        Assert.Single(rows, r => "/" + r.Path == changing);
    }

    private async Task<(CreateResult Result, List<(string Path, List<string>? Chunks, string? HardlinkTo)> Rows)> SnapshotAsync(Func<string, Microsoft.Win32.SafeHandles.SafeFileHandle> open)
    {
        var options = new CreateOptions("home", [_source], [], true, "host", [_identity.Recipient], Chunker, 3, 1 << 20, 1, Path.Combine(_dir, "tmp"))
        {
            OpenSource = open,
        };
        await using var storeLock = await new StoreLockManager(_store, "host", TimeSpan.FromMinutes(10), _ => { }).AcquireSharedAsync(CancellationToken.None);
        var result = await new SnapshotCreator(_store, _index, NullCreateObserver.Instance, storeLock).RunAsync(options, new CreateStats(), CancellationToken.None);
        var path = await MetadataDownloader.DownloadAsync(_store, result.Manifest, [_identity], Path.Combine(_dir, "meta"), CancellationToken.None);
        using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var select = db.CreateCommand();
        select.CommandText = """
            SELECT f.path, f.type, f.hardlink_to, (SELECT group_concat(c.hash, ' ') FROM (SELECT c.hash FROM file_chunks fc JOIN chunks c ON c.id = fc.chunk_id WHERE fc.file_id = f.id ORDER BY fc.seq) c)
            FROM files f ORDER BY f.id;
            """;
        using var reader = select.ExecuteReader();
        var rows = new List<(string, List<string>?, string?)>();
        while (reader.Read())
        {
            var isFile = reader.GetString(1) == MetadataSchema.TypeFile;
            var chunks = reader.IsDBNull(3) ? [] : reader.GetString(3).Split(' ').ToList();
            rows.Add((reader.GetString(0), isFile ? chunks : null, reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return (result, rows);
    }

    /// <summary>The chunk hashes the streaming path cuts from a file.</summary>
    private static List<string> Streamed(string fullPath)
    {
        using var stream = File.OpenRead(fullPath);
        using var chunker = new StreamChunker(stream, Chunker);
        var hashes = new List<string>();
        while (chunker.TryReadNext(out var chunk))
        {
            hashes.Add(Hash256.Compute(chunk.Span).ToString());
        }

        return hashes;
    }
}
