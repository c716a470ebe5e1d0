using Vaultik.Core.Metadata;
using Vaultik.Core.Mount;

namespace Vaultik.Core.Tests.Mount;

/// <summary>The mount's filesystem model without FUSE: the virtual layout, lazy opening, paging, attributes, reads.</summary>
public sealed class MountFileSystemTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-mount-").FullName;
    private readonly FakeMountSource _source = new();
    private readonly List<string> _warnings = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private MountFileSystem Mount(params SnapshotManifest[] manifests) => Mount(OpenSnapshots.DefaultCapacity, PlainChunkCache.DefaultCapacity, manifests);

    private MountFileSystem Mount(int open, long cache, params SnapshotManifest[] manifests) =>
        new(new MountLayout(manifests), _source, _dir, _warnings.Add, cache, open);

    private static List<string> List(MountFileSystem fs, string path, int stopEvery = int.MaxValue)
    {
        Assert.Equal(0, fs.OpenDirectory(path, out var handle));
        var names = new List<string>();
        long offset = 0;
        while (true)
        {
            // A filler whose buffer holds stopEvery entries: each call resumes where the last stopped.
            var taken = 0;
            long next = offset;
            Assert.Equal(0, fs.ReadDirectory(handle, offset, (name, _, position) =>
            {
                if (taken == stopEvery)
                {
                    return false;
                }

                taken++;
                names.Add(name);
                next = position;
                return true;
            }));
            if (taken < stopEvery)
            {
                break;
            }

            offset = next;
        }

        fs.ReleaseDirectory(handle);
        return names;
    }

    [Fact]
    public void The_top_lists_snapshots_and_hosts_with_latest_links_per_host_and_name()
    {
        var a1 = _source.AddSnapshot("a1", "alpha", "docs", Day);
        var a2 = _source.AddSnapshot("a2", "alpha", "docs", Day.AddDays(1));
        var a3 = _source.AddSnapshot("a3", "alpha", "mail", Day.AddHours(1));
        var b1 = _source.AddSnapshot("b1", "beta", "docs", Day);
        using var fs = Mount(a1, a2, a3, b1);
        Assert.Equal([".", "..", "hosts", "snapshots"], List(fs, "/"));
        Assert.Equal([".", "..", "a1", "a2", "a3", "b1"], List(fs, "/snapshots"));
        Assert.Equal([".", "..", "alpha", "beta"], List(fs, "/hosts"));
        Assert.Equal([".", "..", "a1", "a2", "a3", "latest", "latest-docs", "latest-mail"], List(fs, "/hosts/alpha"));
        Assert.Equal(0, fs.ReadLink("/hosts/alpha/latest", out var latest));
        Assert.Equal("a2", latest);
        Assert.Equal(0, fs.ReadLink("/hosts/alpha/latest-mail", out var mail));
        Assert.Equal("a3", mail);
        Assert.Equal(0, fs.ReadLink("/hosts/beta/b1", out var link));
        Assert.Equal("../../snapshots/b1", link);
        Assert.Equal(Errno.ENOENT, fs.GetAttr("/hosts/gamma", out _));
        Assert.Equal(Errno.ENOENT, fs.GetAttr("/snapshots/zz", out _));
        Assert.Equal(Errno.ENOENT, fs.GetAttr("/other", out _));
        Assert.Equal(0, _source.Opens);
    }

    [Fact]
    public void Metadata_is_opened_on_first_access_and_the_least_recently_used_is_closed()
    {
        var one = _source.AddSnapshot("one", "h", "n", Day);
        var two = _source.AddSnapshot("two", "h", "n", Day);
        _source.AddEntry("one", 1, "etc", MetadataSchema.TypeDirectory, mode: 493);
        _source.AddEntry("two", 1, "var", MetadataSchema.TypeDirectory, mode: 493);
        using var fs = Mount(1, PlainChunkCache.DefaultCapacity, one, two);
        Assert.Equal(0, fs.GetAttr("/snapshots/one", out _));
        Assert.Equal(0, _source.Opens);
        Assert.Equal(0, fs.GetAttr("/snapshots/one/etc", out _));
        Assert.Equal(0, fs.GetAttr("/snapshots/one/etc", out _));
        Assert.Equal(1, _source.Opens);
        Assert.Equal(0, fs.GetAttr("/snapshots/two/var", out _));
        Assert.Equal(2, _source.Opens);
        Assert.Equal(1, fs.OpenSnapshotCount);
        Assert.Single(Directory.GetDirectories(_dir));
        Assert.Equal(0, fs.GetAttr("/snapshots/one/etc", out _));
        Assert.Equal(3, _source.Opens);
    }

    [Fact]
    public void A_large_directory_is_listed_page_by_page_and_resumed_where_the_buffer_filled()
    {
        var s = _source.AddSnapshot("s", "h", "n", Day);
        _source.AddEntry("s", 1, "d", MetadataSchema.TypeDirectory);
        _source.AddEntry("s", 2, "d/sub", MetadataSchema.TypeDirectory);
        _source.AddEntry("s", 3, "d/sub/deep", MetadataSchema.TypeFile);
        _source.AddEntry("s", 4, "d.txt", MetadataSchema.TypeFile);
        for (var i = 0; i < 700; i++)
        {
            _source.AddEntry("s", 100 + i, $"d/f{i:D4}", MetadataSchema.TypeFile);
        }

        using var fs = Mount(s);
        var expected = new List<string> { ".", ".." };
        expected.AddRange(Enumerable.Range(0, 700).Select(i => $"f{i:D4}"));
        expected.Add("sub");
        Assert.Equal(expected, List(fs, "/snapshots/s/d"));
        Assert.Equal(expected, List(fs, "/snapshots/s/d", stopEvery: 97));
        Assert.Equal([".", "..", "d", "d.txt"], List(fs, "/snapshots/s"));

        // A seek to an arbitrary position (not where the last call stopped) pages from the start.
        Assert.Equal(0, fs.OpenDirectory("/snapshots/s/d", out var handle));
        var names = new List<string>();
        Assert.Equal(0, fs.ReadDirectory(handle, 502, (name, _, _) => { names.Add(name); return names.Count < 2; }));
        Assert.Equal(["f0500", "f0501"], names);
        Assert.Equal(Errno.ENOTDIR, fs.OpenDirectory("/snapshots/s/d.txt", out _));
    }

    [Fact]
    public void Attributes_are_as_stored_and_hard_links_share_an_inode_and_count()
    {
        var s = _source.AddSnapshot("s", "h", "n", Day);
        _source.AddFile("s", 1, "a", "hello"u8.ToArray());
        _source.AddEntry("s", 2, "b", MetadataSchema.TypeFile, mode: 0x1A4, hardlinkTo: "a");
        _source.AddEntry("s", 3, "l", MetadataSchema.TypeSymlink, mode: 0x1FF, uid: 5, gid: 6, size: 1, mtimeNs: 1_234_567_891_234_567_891, link: "a");
        _source.AddEntry("s", 4, "bad", MetadataSchema.TypeFile, mode: 1 << 20);
        using var fs = Mount(s);
        Assert.Equal(0, fs.GetAttr("/snapshots/s/a", out var a));
        Assert.Equal(0, fs.GetAttr("/snapshots/s/b", out var b));
        Assert.Equal((MountNodeKind.File, 5L, 2L), (a!.Kind, a.Size, a.LinkCount));
        Assert.Equal((5L, 2L, a.Inode), (b!.Size, b.LinkCount, b.Inode));
        Assert.Equal(0, fs.GetAttr("/snapshots/s/l", out var l));
        Assert.Equal((MountNodeKind.Symlink, 0x1FF, 5L, 6L, 1_234_567_891_234_567_891L, "a"), (l!.Kind, l.Mode, l.Uid, l.Gid, l.MtimeNs, l.LinkTarget));
        Assert.Equal(Errno.EIO, fs.GetAttr("/snapshots/s/bad", out _));
        Assert.Equal(Errno.EROFS, fs.Open("/snapshots/s/a", forWriting: true, out _));
        Assert.Equal(Errno.EINVAL, fs.ReadLink("/snapshots/s/a", out _));
    }

    [Fact]
    public void Reads_cross_chunk_boundaries_and_fetch_the_following_chunks_of_the_blob_ahead()
    {
        var (fs, whole) = FileOf8Chunks(PlainChunkCache.DefaultCapacity);
        using (fs)
        {
            Assert.Equal(0, fs.Open("/snapshots/s/f", forWriting: false, out var handle));
            var buffer = new byte[2500];
            Assert.Equal(2500, fs.Read(handle, buffer, 999));
            Assert.Equal(whole.AsSpan(999, 2500).ToArray(), buffer);
            Assert.Equal(500, fs.Read(handle, buffer, 7500));
            Assert.Equal(whole.AsSpan(7500, 500).ToArray(), buffer.AsSpan(0, 500).ToArray());
            Assert.Equal(0, fs.Read(handle, buffer, 8000));
            // One request fetched the chunk asked for and the seven after it in the blob.
            Assert.Equal([8], _source.ChunkRequests);
            fs.Release(handle);
            Assert.Equal(-Errno.EBADF, fs.Read(handle, buffer, 0));
        }
    }

    [Fact]
    public void The_chunk_cache_stays_within_its_bound_plus_one_chunk()
    {
        var (fs, whole) = FileOf8Chunks(3000);
        using (fs)
        {
            Assert.Equal(0, fs.Open("/snapshots/s/f", forWriting: false, out var handle));
            var read = new byte[whole.Length];
            for (var offset = 0; offset < whole.Length; offset += 700)
            {
                Assert.Equal(Math.Min(700, whole.Length - offset), fs.Read(handle, read.AsSpan(offset, Math.Min(700, whole.Length - offset)), offset));
                Assert.True(fs.Cache.Size <= 3000 + 1000, $"cache holds {fs.Cache.Size} bytes");
            }

            Assert.Equal(whole, read);
            Assert.Equal(8, _source.ChunkRequests.Sum());
        }
    }

    private (MountFileSystem Fs, byte[] Whole) FileOf8Chunks(long cache)
    {
        var s = _source.AddSnapshot("s", "h", "n", Day);
        var parts = Enumerable.Range(0, 8).Select(i => Enumerable.Range(0, 1000).Select(j => (byte)(i * 31 + j)).ToArray()).ToArray();
        _source.AddFile("s", 1, "f", parts);
        return (Mount(8, cache, s), parts.SelectMany(p => p).ToArray());
    }
}
