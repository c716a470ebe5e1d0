using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Names from the store or the file system cannot drive the terminal: text output shows control characters
/// escaped, --json keeps the exact strings.
/// </summary>
public sealed class TerminalOutputTests
{
    private const string Hostile = "a\u001b[2J\nb";

    private static void AssertNoRawControl(string text, string what)
    {
        foreach (var c in text)
        {
            Assert.False(c < ' ' && c != '\n' || c is >= '\u007f' and <= '\u009f', $"{what} holds raw U+{(int)c:X4}:\n{text}");
        }
    }

    [Fact]
    public async Task A_file_name_with_an_escape_sequence_and_a_newline_restores_and_is_printed_escaped_and_such_a_link_target_is_refused()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, Hostile), "x");
        File.CreateSymbolicLink(Path.Combine(box.Source, "link"), "t" + Hostile);
        File.WriteAllText(Path.Combine(box.Source, "ok.txt"), "ok");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var planned = await box.RunOkAsync(1, "restore", "latest", box.Dir.Combine("planned"), "--dry-run", "--identity", box.IdentityPath);
        AssertNoRawControl(planned.StdOut.Replace("\n", string.Empty, StringComparison.Ordinal), "dry-run output");
        Assert.Contains(@"a\x1b[2J\nb", planned.StdOut, StringComparison.Ordinal);

        var target = box.Dir.Combine("restored");
        var text = await box.RunOkAsync(1, "restore", "latest", target, "--identity", box.IdentityPath);

        AssertNoRawControl(text.StdErr.Replace("\n", string.Empty, StringComparison.Ordinal), "stderr");
        Assert.Contains(@"link: refused (link target contains a control character)", text.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, text.StdErr.Split('\n').Count(l => l.Contains("refused", StringComparison.Ordinal)));
        Assert.Equal("x", File.ReadAllText(Sandbox.Restored(target, Path.Combine(box.Source, Hostile))));
        Assert.True(File.Exists(Sandbox.Restored(target, Path.Combine(box.Source, "ok.txt"))));

        var json = await box.RunOkAsync(1, "restore", "latest", box.Dir.Combine("planned-json"), "--dry-run", "--identity", box.IdentityPath, "--json");
        var wouldWrite = JsonDocument.Parse(json.StdOut).RootElement.GetProperty("planned").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(wouldWrite, p => p.EndsWith(Hostile, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hostname_with_control_characters_is_escaped_in_snapshot_list_and_exact_in_json()
    {
        using var box = await Sandbox.CreateAsync();
        File.AppendAllText(box.ConfigPath, "\nhostname: \"ev\\e]0;pwned\\x07il\"\n");
        File.WriteAllText(Path.Combine(box.Source, "f"), "x");
        var created = await box.RunAsync("snapshot", "create", box.Source);
        AssertNoRawControl(created.StdOut + created.StdErr.Replace("\n", string.Empty, StringComparison.Ordinal), "snapshot create output");
        Assert.True(created.ExitCode == 0, created.ToString());

        var list = await box.RunOkAsync(0, "snapshot", "list");
        AssertNoRawControl(list.StdOut, "snapshot list");
        Assert.Contains(@"ev\x1b]0;pwned\x07il", list.StdOut, StringComparison.Ordinal);

        var json = await box.RunOkAsync(0, "snapshot", "list", "--json");
        Assert.Equal("ev\u001b]0;pwned\u0007il", JsonDocument.Parse(json.StdOut).RootElement[0].GetProperty("hostname").GetString());
    }
}
