using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Platform;

namespace Vaultik.Cli.Tests;

/// <summary>`vaultik diff`: two snapshots with every kind of change named, and a snapshot against the live file system.</summary>
public abstract class DiffTests : StoreScenarioTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Dictionary<string, string[]> Changed(JsonElement doc) =>
        doc.GetProperty("changed").EnumerateArray().ToDictionary(c => c.GetProperty("path").GetString()!, c => c.GetProperty("what").EnumerateArray().Select(w => w.GetString()!).ToArray());

    private static string[] Paths(JsonElement doc, string array) => doc.GetProperty(array).EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToArray();

    [SkippableFact]
    public async Task Diff_names_each_kind_of_change_between_two_snapshots()
    {
        using var box = await BoxAsync();
        string P(string name) => Path.Combine(box.Source, name);
        File.WriteAllText(P("content"), "aaaa");
        File.WriteAllText(P("mode"), "m");
        File.WriteAllText(P("owner"), "o");
        File.WriteAllText(P("mtime"), "t");
        File.WriteAllText(P("type"), "file then directory");
        File.CreateSymbolicLink(P("link"), "first");
        File.WriteAllText(P("removed"), "gone");
        File.WriteAllText(P("same"), "same");
        foreach (var f in Directory.GetFiles(box.Source))
        {
            File.SetLastWriteTimeUtc(f, T0);
        }

        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        File.WriteAllText(P("content"), "bbbb");
        File.SetLastWriteTimeUtc(P("content"), T0);
        File.SetUnixFileMode(P("mode"), UnixFileMode.UserRead);
        if (Posix.IsRoot)
        {
            Posix.Lchown(P("owner"), 4242, 4242);
        }

        File.SetLastWriteTimeUtc(P("mtime"), T0.AddDays(1));
        File.Delete(P("type"));
        Directory.CreateDirectory(P("type"));
        File.Delete(P("link"));
        File.CreateSymbolicLink(P("link"), "second");
        File.Delete(P("removed"));
        File.WriteAllText(P("added"), "hello");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        var ids = list.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();
        var result = await box.RunOkAsync(0, "diff", ids[0], ids[1], box.Source, "--identity", box.IdentityPath, "--json");
        var doc = JsonDocument.Parse(result.StdOut).RootElement;
        Assert.Equal([P("added")], Paths(doc, "added"));
        Assert.Equal([P("removed")], Paths(doc, "removed"));
        var changed = Changed(doc);
        Assert.Equal(["content"], changed[P("content")]);
        Assert.Equal(["mode"], changed[P("mode")]);
        Assert.Equal(["mtime"], changed[P("mtime")]);
        Assert.Equal("type", changed[P("type")][0]);
        Assert.Equal("link_target", changed[P("link")][0]);
        Assert.False(changed.ContainsKey(P("same")));
        if (Posix.IsRoot)
        {
            Assert.Equal(["owner"], changed[P("owner")]);
        }
        else
        {
            Assert.False(changed.ContainsKey(P("owner")));
        }

        var summary = doc.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("added").GetInt64());
        Assert.Equal(1, summary.GetProperty("removed").GetInt64());
        Assert.Equal(5, summary.GetProperty("bytes_added").GetInt64());
        Assert.Equal(4, summary.GetProperty("bytes_removed").GetInt64());
        Assert.Equal(changed.Count, summary.GetProperty("changed").GetInt64());

        var text = await box.RunOkAsync(0, "diff", ids[0], ids[1], "--identity", box.IdentityPath);
        Assert.Contains($"+ {P("added")}  (file, 5 bytes)", text.StdOut, StringComparison.Ordinal);
        Assert.Contains($"- {P("removed")}  (file, 4 bytes)", text.StdOut, StringComparison.Ordinal);
        Assert.Contains($"M {P("content")}  (content;", text.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"1 added, 1 removed, \d+ changed, \d+ unchanged; 5 bytes added, 4 bytes removed", text.StdOut);

        var usage = await box.RunAsync("diff", ids[0], "--identity", box.IdentityPath);
        Assert.True(usage.ExitCode == 2, usage.ToString());
    }

    [SkippableFact]
    public async Task Diff_local_compares_a_snapshot_with_the_file_system()
    {
        using var box = await BoxAsync();
        string P(string name) => Path.Combine(box.Source, name);
        Directory.CreateDirectory(P("d"));
        File.WriteAllText(P("d/same"), "same");
        File.WriteAllText(P("d/touched"), "touched");
        File.WriteAllText(P("d/edited"), "edited!");
        File.WriteAllText(P("d-x"), "sibling that sorts between d and d/…");
        File.WriteAllText(P("gone"), "gone");
        TestTree.WriteLargeFile(P("big"), 3L << 20, seed: 9);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var clean = JsonDocument.Parse((await box.RunOkAsync(0, "diff", "latest", "--local", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Empty(Paths(clean, "added"));
        Assert.Empty(Paths(clean, "removed"));
        Assert.Empty(Paths(clean, "changed"));

        // Same bytes, new mtime: read and found equal; same size, new bytes, mtime put back: equal by size+mtime (the stated rule).
        File.SetLastWriteTimeUtc(P("d/touched"), T0);
        var mtime = File.GetLastWriteTimeUtc(P("d/edited"));
        File.WriteAllText(P("d/edited"), "EDITED!");
        File.SetLastWriteTimeUtc(P("d/edited"), mtime.AddSeconds(5));
        var bytes = File.ReadAllBytes(P("big"));
        bytes[2 << 20] ^= 1;
        var bigTime = File.GetLastWriteTimeUtc(P("big"));
        File.WriteAllBytes(P("big"), bytes);
        File.SetLastWriteTimeUtc(P("big"), bigTime.AddSeconds(1));
        File.Delete(P("gone"));
        File.WriteAllText(P("d/new"), "new");

        var doc = JsonDocument.Parse((await box.RunOkAsync(0, "diff", "latest", "--local", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Equal([P("d/new")], Paths(doc, "added"));
        Assert.Equal([P("gone")], Paths(doc, "removed"));
        var changed = Changed(doc);
        Assert.Equal(["content", "mtime"], changed[P("d/edited")]);
        Assert.Equal(["content", "mtime"], changed[P("big")]);
        Assert.Equal(["mtime"], changed[P("d/touched")]);
        Assert.True(changed.ContainsKey(P("d")));
        Assert.Equal(3, doc.GetProperty("summary").GetProperty("files_read").GetInt64());

        var under = JsonDocument.Parse((await box.RunOkAsync(0, "diff", "latest", "--local", P("d"), "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Equal([P("d/new")], Paths(under, "added"));
        Assert.Empty(Paths(under, "removed"));
    }

    [SkippableFact]
    public async Task Diff_local_compares_hard_links_as_the_files_they_name()
    {
        // The live tree has no "first name": an unchanged hard link is unchanged, an edited one is content.
        using var box = await BoxAsync();
        string P(string name) => Path.Combine(box.Source, name);
        File.WriteAllText(P("one"), "shared");
        Vaultik.Core.Platform.Posix.CreateHardLink(P("one"), P("two"));
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var clean = JsonDocument.Parse((await box.RunOkAsync(0, "diff", "latest", "--local", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        Assert.Empty(Paths(clean, "changed"));

        var mtime = File.GetLastWriteTimeUtc(P("two"));
        File.WriteAllText(P("two"), "SHARED");
        File.SetLastWriteTimeUtc(P("two"), mtime.AddSeconds(3));
        var doc = JsonDocument.Parse((await box.RunOkAsync(0, "diff", "latest", "--local", "--identity", box.IdentityPath, "--json")).StdOut).RootElement;
        var changed = Changed(doc);
        Assert.Equal(["content", "mtime"], changed[P("two")]);
        Assert.Equal(["content", "mtime"], changed[P("one")]);
    }
}
