using Vaultik.Core.Platform;

namespace Vaultik.Core.Tests.Restore;

/// <summary>The *at layer: resolution beneath a descriptor never follows a symlink, with openat2 and with the per-component fallback.</summary>
[Collection(nameof(PosixAtTests))]
public sealed class PosixAtTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vaultik-at-").FullName;

    public void Dispose()
    {
        PosixAt.UseOpenat2 = true;
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Resolving_beneath_refuses_a_symlink_in_any_component(bool openat2)
    {
        PosixAt.UseOpenat2 = openat2;
        Directory.CreateDirectory(Path.Combine(_dir, "root", "a", "b"));
        Directory.CreateDirectory(Path.Combine(_dir, "outside", "b"));
        File.CreateSymbolicLink(Path.Combine(_dir, "root", "link"), Path.Combine(_dir, "outside"));
        using var root = PosixAt.OpenDirectoryNoFollow(Path.Combine(_dir, "root"));

        using (var ok = PosixAt.TryOpenDirectoryBeneath(root, "a/b", out var okErrno))
        {
            Assert.True(ok is not null, $"errno {okErrno}");
        }

        Assert.Null(PosixAt.TryOpenDirectoryBeneath(root, "link/b", out var errno));
        Assert.Equal(PosixAt.ELOOP, errno);
        Assert.Null(PosixAt.TryOpenDirectoryBeneath(root, "link", out _));
    }

    [Fact]
    public void A_root_that_is_a_symlink_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "real"));
        File.CreateSymbolicLink(Path.Combine(_dir, "root"), Path.Combine(_dir, "real"));
        var error = Assert.Throws<IOException>(() => PosixAt.OpenDirectoryNoFollow(Path.Combine(_dir, "root")));
        Assert.Contains("symlink", error.Message);
    }

    [Fact]
    public void Created_files_are_0600_whatever_the_umask_and_refuse_an_existing_symlink()
    {
        using var root = PosixAt.OpenDirectoryNoFollow(_dir);
        using (PosixAt.CreateFile(root, "f", "f"))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "f")));
        }

        File.WriteAllText(Path.Combine(_dir, "victim"), "v");
        File.CreateSymbolicLink(Path.Combine(_dir, "l"), Path.Combine(_dir, "victim"));
        Assert.Throws<IOException>(() => PosixAt.CreateFile(root, "l", "l"));
        Assert.Throws<IOException>(() => PosixAt.OpenFileForWriting(root, "l", "l"));
        Assert.Null(PosixAt.TryOpenForReading(root, "l", out _));
    }

    [Fact]
    public void Listing_reads_every_name_through_the_descriptor()
    {
        var names = Enumerable.Range(0, 3000).Select(i => $"entry-{i}-ünï").ToList();
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(_dir, name), string.Empty);
        }

        using var root = PosixAt.OpenDirectoryNoFollow(_dir);
        Assert.Equal(names.Order(StringComparer.Ordinal), DirectoryEntries.Names(root, _dir).Order(StringComparer.Ordinal));
    }
}
