using System.Security.Cryptography;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// <c>--json --progress-json</c> through the real CLI: every stderr line is one JSON progress object, bytes and time
/// only grow, the last line is final, and stdout is still exactly one JSON document. The transfers are paced
/// (<c>--limit-upload</c>/<c>--limit-download</c>) so that the runs last long enough for several lines.
/// </summary>
public sealed class ProgressJsonTests
{
    [Fact]
    public async Task Create_and_restore_stream_json_lines_on_stderr_and_keep_one_document_on_stdout()
    {
        using var box = await Sandbox.CreateAsync();
        var sizes = new[] { 3 << 20, 1000, 0 };
        for (var i = 0; i < sizes.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(box.Source, $"f{i}.bin"), RandomNumberGenerator.GetBytes(sizes[i]));
        }

        var create = await box.RunOkAsync(0, "snapshot", "create", box.Source, "--json", "--progress-json", "--limit-upload", "1024");
        var created = Lines(create.StdErr, "snapshot create");
        var last = created[^1];
        Assert.Equal("done", last.GetProperty("phase").GetString());
        Assert.Equal(sizes.Sum(), last.GetProperty("bytes_done").GetInt64());
        Assert.Equal(sizes.Sum(), last.GetProperty("bytes_total").GetInt64());
        Assert.Equal(3, last.GetProperty("files_done").GetInt64());
        Assert.True(last.GetProperty("bytes_transferred").GetInt64() >= 3 << 20);
        using (var summary = JsonDocument.Parse(create.StdOut))
        {
            Assert.Equal(3, summary.RootElement[0].GetProperty("files_scanned").GetInt64());
        }

        var restore = await box.RunOkAsync(0, "restore", "latest", box.Dir.Combine("r"), "--identity", box.IdentityPath, "--json", "--progress-json", "--limit-download", "1024");
        var restored = Lines(restore.StdErr, "restore");
        Assert.All(restored.Where(l => l.GetProperty("phase").GetString() != "planning"), l => Assert.Equal(sizes.Sum(), l.GetProperty("bytes_total").GetInt64()));
        last = restored[^1];
        Assert.Equal("done", last.GetProperty("phase").GetString());
        Assert.Equal(last.GetProperty("bytes_total").GetInt64(), last.GetProperty("bytes_done").GetInt64());
        Assert.Equal(3, last.GetProperty("files_done").GetInt64());
        Assert.Equal(3, last.GetProperty("files_total").GetInt64());
        Assert.Equal(0, last.GetProperty("eta_seconds").GetDouble());
        Assert.Contains(restored.SkipLast(1), l => l.GetProperty("eta_seconds").ValueKind == JsonValueKind.Number);
        using (var summary = JsonDocument.Parse(restore.StdOut))
        {
            Assert.Equal(sizes.Sum(), summary.RootElement.GetProperty("bytes_written").GetInt64());
        }
    }

    [Fact]
    public async Task Progress_json_without_json_is_a_usage_error()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "a");
        var create = await box.RunOkAsync(2, "snapshot", "create", box.Source, "--progress-json");
        Assert.Contains("cannot use --progress-json without --json", create.StdErr);
        Assert.False(Directory.Exists(Path.Combine(box.StorePath, "metadata")) && Directory.EnumerateFileSystemEntries(Path.Combine(box.StorePath, "metadata")).Any());
        var restore = await box.RunOkAsync(2, "restore", "latest", box.Dir.Combine("r"), "--identity", box.IdentityPath, "--progress-json");
        Assert.Contains("cannot use --progress-json without --json", restore.StdErr);
    }

    /// <summary>Every stderr line parsed as a progress object of <paramref name="command"/>; bytes, files and time never go back; only the last is final.</summary>
    private static List<JsonElement> Lines(string stderr, string command)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(lines.Count >= 3, $"expected at least two lines a second apart and a final one:\n{stderr}");
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            Assert.Equal("progress", line.GetProperty("type").GetString());
            Assert.Equal(command, line.GetProperty("command").GetString());
            Assert.Equal(i == lines.Count - 1, line.GetProperty("final").GetBoolean());
            Assert.True(line.GetProperty("bytes_done").GetInt64() <= line.GetProperty("bytes_total").GetInt64());
            Assert.True(line.TryGetProperty("eta_seconds", out _));
            if (i > 0)
            {
                var before = lines[i - 1];
                foreach (var key in new[] { "bytes_done", "bytes_total", "files_done", "bytes_transferred" })
                {
                    Assert.True(line.GetProperty(key).GetInt64() >= before.GetProperty(key).GetInt64(), $"{key} went back: {before} then {line}");
                }

                Assert.True(line.GetProperty("elapsed_seconds").GetDouble() > before.GetProperty("elapsed_seconds").GetDouble());
            }
        }

        return lines;
    }
}
