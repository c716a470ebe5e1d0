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
