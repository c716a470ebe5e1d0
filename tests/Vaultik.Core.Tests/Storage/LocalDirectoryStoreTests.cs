using Vaultik.Core.Storage;

namespace Vaultik.Core.Tests.Storage;

public sealed class LocalDirectoryStoreTests : ObjectStoreConformanceTests, IDisposable
{
    private readonly string _root = Path.Combine(Directory.CreateTempSubdirectory("vaultik-store-").FullName, "store");

    public LocalDirectoryStoreTests() => Store = new LocalDirectoryStore(_root);

    protected override IObjectStore Store { get; }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    [Fact]
    public async Task A_missing_root_lists_nothing_and_is_created_on_first_put()
    {
        await foreach (var _ in Store.ListAsync("blobs/"))
        {
            Assert.Fail("a missing store listed something");
        }

        Assert.False(Directory.Exists(_root));
        await Store.PutAsync("blobs/ab/cd/x", new MemoryStream([1]));
        Assert.True(File.Exists(Path.Combine(_root, "blobs", "ab", "cd", "x")));
    }

    [Fact]
    public async Task A_file_on_the_same_filesystem_is_linked_in_and_left_in_place()
    {
        var staged = Path.Combine(Path.GetDirectoryName(_root)!, "staged.bin");
        File.WriteAllBytes(staged, [1, 2, 3]);

        await Store.PutFileAsync("blobs/ab/cd/y", staged);

        var stored = Path.Combine(_root, "blobs", "ab", "cd", "y");
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(stored));
        Assert.True(File.Exists(staged));
        Assert.Equal(Platform.Posix.Lstat(staged).Inode, Platform.Posix.Lstat(stored).Inode);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(stored)!, ".tmp-*"));
    }

    [Fact]
    public async Task A_file_that_cannot_be_linked_is_copied()
    {
        // /proc is another filesystem: link(2) fails with EXDEV, so the content is streamed instead.
        await Store.PutFileAsync("metadata/x/version", "/proc/version");
        Assert.Equal(File.ReadAllText("/proc/version"), File.ReadAllText(Path.Combine(_root, "metadata", "x", "version")));
    }

    [Fact]
    public async Task Temporary_files_of_an_interrupted_put_are_never_listed()
    {
        await Store.PutAsync("blobs/ab/x", new MemoryStream([1]));
        File.WriteAllBytes(Path.Combine(_root, "blobs", "ab", ".tmp-deadbeef"), [1, 2, 3]);
        var keys = new List<string>();
        await foreach (var info in Store.ListAsync("blobs/"))
        {
            keys.Add(info.Key);
        }

        Assert.Equal(["blobs/ab/x"], keys);
    }

    [Fact]
    public void A_root_that_is_a_file_is_refused()
    {
        var file = Path.Combine(Path.GetDirectoryName(_root)!, "plainfile");
        File.WriteAllText(file, "x");
        Assert.Throws<StorageException>(() => new LocalDirectoryStore(file));
    }
}
