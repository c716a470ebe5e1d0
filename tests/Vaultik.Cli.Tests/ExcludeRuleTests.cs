using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// restic's exclude conveniences through the real CLI: --exclude-caches, --exclude-if-present,
/// --exclude-larger-than and --files-from, and their config keys; a restore shows what was stored.
/// </summary>
public sealed class ExcludeRuleTests
{
    private const string CacheTag = "Signature: 8a477f597d28d172789f06886806bc55\n# a cache directory tag\n";

    /// <summary>src/keep/doc.txt, src/cache (valid CACHEDIR.TAG), src/fake (a tag with the wrong signature), src/marked (.nobackup), src/other (.skipme), src/big.bin (4 KiB).</summary>
    private static async Task<Sandbox> BoxAsync()
    {
        var box = await Sandbox.CreateAsync();
        void Write(string relative, string text)
        {
            var path = Path.Combine(box.Source, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        Write("keep/doc.txt", "document");
        Write("cache/CACHEDIR.TAG", CacheTag);
        Write("cache/data/blob", "cached");
        Write("fake/CACHEDIR.TAG", "Signature: 00000000000000000000000000000000\n");
        Write("fake/data", "not a cache");
        Write("marked/.nobackup", "");
        Write("marked/secret", "left out");
        Write("other/.skipme", "");
        Write("other/file", "left out too");
        Write("big.bin", new string('x', 4096));
        return box;
    }

    /// <summary>Restores the latest snapshot and returns its files relative to the source.</summary>
    private static async Task<List<string>> StoredFilesAsync(Sandbox box, string? name = null)
    {
        var target = box.Dir.Combine("r" + Guid.NewGuid().ToString("N")[..6]);
        await box.RunOkAsync(0, name is null ? ["restore", "latest", target, "--identity", box.IdentityPath] : ["restore", "latest", target, "--identity", box.IdentityPath, "--name", name]);
        var root = Sandbox.Restored(target, box.Source);
        return Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
    }

    private static readonly string[] Everything =
        ["big.bin", "cache/CACHEDIR.TAG", "cache/data/blob", "fake/CACHEDIR.TAG", "fake/data", "keep/doc.txt", "marked/.nobackup", "marked/secret", "other/.skipme", "other/file"];

    [Fact]
    public async Task Without_rules_everything_is_stored()
    {
        using var box = await BoxAsync();
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        Assert.Equal(Everything, await StoredFilesAsync(box));
    }

    [Fact]
    public async Task Exclude_caches_keeps_only_the_tag_of_a_directory_with_a_valid_cachedir_tag()
    {
        using var box = await BoxAsync();
        var json = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "create", box.Source, "--exclude-caches", "--json")).StdOut).RootElement[0];
        Assert.Equal(Everything.Except(["cache/data/blob"]), await StoredFilesAsync(box));
        Assert.Equal(Everything.Length - 1, json.GetProperty("files_scanned").GetInt64());
    }

    [Fact]
    public async Task Exclude_if_present_is_repeatable_and_keeps_the_marker()
    {
        using var box = await BoxAsync();
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--exclude-if-present", ".nobackup", "--exclude-if-present", ".skipme");
        Assert.Equal(Everything.Except(["marked/secret", "other/file"]), await StoredFilesAsync(box));
    }

    [Fact]
    public async Task Exclude_larger_than_leaves_out_bigger_files_only()
    {
        using var box = await BoxAsync();
        var json = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "create", box.Source, "--exclude-larger-than", "4KiB", "--json")).StdOut).RootElement[0];
        Assert.Equal(Everything, await StoredFilesAsync(box));
        Assert.Equal(Everything.Length, json.GetProperty("files_scanned").GetInt64());

        json = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "create", box.Source, "--exclude-larger-than", "4095", "--json")).StdOut).RootElement[0];
        Assert.Equal(Everything.Except(["big.bin"]), await StoredFilesAsync(box));
        Assert.Equal(Everything.Length - 1, json.GetProperty("files_scanned").GetInt64());
    }

    [Fact]
    public async Task The_config_keys_apply_globally_and_a_snapshot_overrides_them()
    {
        using var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath,
            $"\nexclude_caches: true\nexclude_if_present: [.nobackup]\nexclude_larger_than: 1KiB\nsnapshots:\n"
            + $"  plain:\n    paths: ['{box.Source}']\n"
            + $"  own:\n    paths: ['{box.Source}']\n    exclude_caches: false\n    exclude_if_present: [.skipme]\n    exclude_larger_than: 1MiB\n");
        await box.RunOkAsync(0, "snapshot", "create", "--name", "plain");
        Assert.Equal(Everything.Except(["big.bin", "cache/data/blob", "marked/secret"]), await StoredFilesAsync(box, "plain"));
        await box.RunOkAsync(0, "snapshot", "create", "--name", "own");
        Assert.Equal(Everything.Except(["marked/secret", "other/file"]), await StoredFilesAsync(box, "own"));
    }

    [Fact]
    public async Task Files_from_lists_the_paths_with_comments_empty_lines_and_relative_paths()
    {
        using var box = await BoxAsync();
        var relative = Path.GetRelativePath(box.Cli.Home, Path.Combine(box.Source, "marked"));
        var list = box.Dir.Combine("list.txt");
        File.WriteAllText(list, $"# what to back up\n\n{Path.Combine(box.Source, "keep")}\n   # indented comment\n{relative}\r\n");
        var json = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "create", "--files-from", list, "--json")).StdOut).RootElement[0];
        Assert.Equal("adhoc", json.GetProperty("name").GetString());
        Assert.Equal(3, json.GetProperty("files_scanned").GetInt64());
        Assert.Equal(["keep/doc.txt", "marked/.nobackup", "marked/secret"], await StoredFilesAsync(box));
    }

    [Fact]
    public async Task Files_from_in_a_snapshot_resolves_relative_paths_against_the_list_file()
    {
        using var box = await BoxAsync();
        var list = Path.Combine(box.Source, "list.txt");
        File.WriteAllText(list, "keep\nother\n");
        File.AppendAllText(box.ConfigPath, $"\nsnapshots:\n  listed:\n    files_from: {list}\n    paths: ['{Path.Combine(box.Source, "big.bin")}']\n");
        await box.RunOkAsync(0, "snapshot", "create");
        Assert.Equal(["big.bin", "keep/doc.txt", "other/.skipme", "other/file"], await StoredFilesAsync(box, "listed"));
    }

    [Theory]
    [InlineData("--exclude-larger-than", "-1", "cannot use --exclude-larger-than '-1'")]
    [InlineData("--exclude-larger-than", "0", "not a size above zero")]
    [InlineData("--exclude-larger-than", "big", "cannot use --exclude-larger-than 'big'")]
    [InlineData("--exclude-if-present", "a/b", "cannot use --exclude-if-present 'a/b'")]
    [InlineData("--files-from", "/nonexistent/list.txt", "cannot read --files-from /nonexistent/list.txt")]
    public async Task Bad_flag_values_are_usage_errors(string flag, string value, string message)
    {
        using var box = await BoxAsync();
        var run = await box.RunOkAsync(2, "snapshot", "create", box.Source, flag, value);
        Assert.Contains(message, run.StdErr);
        Assert.Equal(0, JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task An_empty_files_from_list_is_a_usage_error()
    {
        using var box = await BoxAsync();
        var list = box.Dir.Combine("empty.txt");
        File.WriteAllText(list, "# nothing\n\n");
        var run = await box.RunOkAsync(2, "snapshot", "create", "--files-from", list);
        Assert.Contains("it lists no paths", run.StdErr);
    }

    [Theory]
    [InlineData("exclude_larger_than: -5\n", "exclude_larger_than")]
    [InlineData("exclude_larger_than: 0\n", "exclude_larger_than")]
    [InlineData("exclude_caches: maybe\n", "exclude_caches")]
    [InlineData("exclude_if_present: [a/b]\n", "exclude_if_present")]
    [InlineData("snapshots:\n  s:\n    files_from: relative.txt\n", "is not an absolute path")]
    [InlineData("snapshots:\n  s:\n    files_from: /nonexistent/list.txt\n", "cannot read snapshots.s.files_from /nonexistent/list.txt")]
    public async Task Bad_config_values_are_usage_errors(string yaml, string message)
    {
        using var box = await BoxAsync();
        File.AppendAllText(box.ConfigPath, "\n" + yaml);
        var run = await box.RunOkAsync(2, "snapshot", "create");
        Assert.Contains(message, run.StdErr);
    }
}
