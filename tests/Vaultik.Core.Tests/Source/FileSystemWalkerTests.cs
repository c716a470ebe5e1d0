using System.Diagnostics;
using Vaultik.Core.Source;

namespace Vaultik.Core.Tests.Source;

public sealed class FileSystemWalkerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vaultik-walk-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class Collector : IWalkObserver
    {
        public List<(string Path, string Reason, bool IsError)> Seen { get; } = [];

        public void Skipped(string fullPath, string reason, bool isError) => Seen.Add((fullPath, reason, isError));
    }

    private (List<SourceEntry> Entries, Collector Observer) Walk(params string[] excludes)
    {
        var observer = new Collector();
        var entries = new FileSystemWalker(new WalkOptions(excludes), observer).Walk([_root]).ToList();
        return (entries, observer);
    }

    private List<string> Relative(List<SourceEntry> entries) =>
        entries.Where(e => e.FullPath.StartsWith(_root + "/", StringComparison.Ordinal)).Select(e => e.FullPath[(_root.Length + 1)..]).ToList();

    [Fact]
    public void Entries_come_in_order_with_ancestors_first_and_symlinks_unfollowed()
    {
        Directory.CreateDirectory(Path.Combine(_root, "b", "empty"));
        File.WriteAllText(Path.Combine(_root, "a.txt"), "a");
        File.WriteAllText(Path.Combine(_root, "b", "c.txt"), "c");
        Directory.CreateSymbolicLink(Path.Combine(_root, "link-to-b"), "b");
        File.CreateSymbolicLink(Path.Combine(_root, "dangling"), "nowhere");

        var (entries, _) = Walk();
        Assert.Equal("tmp", entries[0].Path);
        Assert.Equal(["a.txt", "b", "b/c.txt", "b/empty", "dangling", "link-to-b"], Relative(entries));
        var link = entries.Single(e => e.FullPath.EndsWith("link-to-b", StringComparison.Ordinal));
        Assert.Equal(EntryType.Symlink, link.Type);
        Assert.Equal("b", link.LinkTarget);
        Assert.Equal(1, entries.Single(e => e.FullPath.EndsWith("a.txt", StringComparison.Ordinal)).Size);
        Assert.DoesNotContain(entries, e => e.Path.StartsWith('/'));
    }

    [Fact]
    public void Exclude_rules_work_as_documented()
    {
        foreach (var path in new[] { "x.tmp", "d/y.tmp", "node_modules/m.js", "d/node_modules/n.js", "d/.cache/c", "build/out/o", "d/build/out/keep", "keep.txt" })
        {
            var full = Path.Combine(_root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, path);
        }

        var (entries, _) = Walk("*.tmp", "node_modules/", "**/.cache/**", "build/out/**");
        var names = Relative(entries);
        Assert.Contains("keep.txt", names);
        Assert.Contains("d/build/out/keep", names);
        Assert.DoesNotContain("x.tmp", names);
        Assert.DoesNotContain("d/y.tmp", names);
        Assert.DoesNotContain(names, n => n.Contains("node_modules", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains(".cache/", StringComparison.Ordinal));
        Assert.DoesNotContain("build/out/o", names);
    }

    [Fact]
    public void Special_files_are_skipped_with_a_reason_that_is_not_an_error()
    {
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(_root, "pipe")))
        {
            mkfifo.WaitForExit();
        }

        var (entries, observer) = Walk();
        Assert.DoesNotContain(entries, e => e.FullPath.EndsWith("pipe", StringComparison.Ordinal));
        var skip = Assert.Single(observer.Seen);
        Assert.Contains("FIFO", skip.Reason);
        Assert.False(skip.IsError);
    }

    [Fact]
    public void A_missing_root_is_a_configuration_error_before_anything_is_walked()
    {
        var walker = new FileSystemWalker(new WalkOptions([]), NullWalkObserver.Instance);
        var ex = Assert.Throws<ConfigurationException>(() => walker.Walk([Path.Combine(_root, "missing")]));
        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public void Modes_and_nanosecond_times_are_read()
    {
        var file = Path.Combine(_root, "f");
        File.WriteAllText(file, "x");
        File.SetUnixFileMode(file, (UnixFileMode)0b111_101_000);
        Vaultik.Core.Platform.Posix.SetTimes(file, 1_600_000_000_123_456_789, 1_600_000_000_987_654_321, noFollow: true);
        var entry = Walk().Entries.Single(e => e.FullPath == file);
        Assert.Equal(0b111_101_000, entry.Mode);
        Assert.Equal(1_600_000_000_987_654_321, entry.MtimeNs);
    }
}
