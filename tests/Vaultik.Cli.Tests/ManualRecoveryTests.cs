using System.Diagnostics;
using System.Text.RegularExpressions;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// docs/FORMAT.md promises recovery with only age, zstd and sqlite3. This runs the recipe's own shell code,
/// extracted from the document, against a real snapshot.
/// </summary>
public sealed partial class ManualRecoveryTests
{
    [Fact]
    public async Task The_format_3_recipe_in_FORMAT_md_recovers_a_multi_chunk_file_with_age_zstd_and_sqlite3()
    {
        using var box = await Sandbox.CreateAsync();
        var notes = Path.Combine(box.Source, "dir, with \"quotes\"", "notes.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(notes)!);
        TestTree.WriteLargeFile(notes, 6L << 20, seed: 3);
        File.WriteAllText(Path.Combine(box.Source, "other.txt"), "other");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var id = Directory.GetDirectories(Path.Combine(box.StorePath, "metadata")).Select(Path.GetFileName).Single()!;

        var run = RunRecipe(ExtractRecipe(format: 3), box.StorePath, id, box.Dir.Path, notes.TrimStart('/'));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(File.ReadAllBytes(notes), File.ReadAllBytes(box.Dir.Combine("notes.txt")));
        Assert.Contains("notes.txt", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_format_2_recipe_in_FORMAT_md_recovers_a_file_of_the_v2_fixture()
    {
        var fixture = Path.Combine(RepoRoot(), "tests", "fixtures", "v2-store");
        using var dir = new TempDir();
        var store = dir.Combine("store");
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(fixture, f).Split('/')[0] is "blobs" or "metadata"))
        {
            var to = Path.Combine(store, Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        File.Copy(Path.Combine(fixture, "key.txt"), dir.Combine("key.txt"));
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture, "expected.json")));
        var snapshot = expected.RootElement.GetProperty("snapshots")[0];
        var big = snapshot.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("path").GetString() == "a/big.bin");
        var path = $"{expected.RootElement.GetProperty("root").GetString()!.TrimStart('/')}/a/big.bin";

        var run = RunRecipe(ExtractRecipe(format: 2), store, snapshot.GetProperty("id").GetString()!, dir.Path, path);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(big.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(dir.Combine("notes.txt")))));
    }

    private static (int ExitCode, string Output) RunRecipe(string recipe, string store, string id, string directory, string path)
    {
        var script = $"""
            set -euo pipefail
            STORE='{store}'
            ID='{id}'
            cd '{directory}'
            {recipe.Replace("P='home/me/notes.txt'", $"P='{path.Replace("'", "'\\''", StringComparison.Ordinal)}'", StringComparison.Ordinal)}
            """;
        return Run("bash", "-c", script);
    }

    /// <summary>The sh block of the format 3 recipe (the first under "Manual recovery") or of the format 2 one.</summary>
    private static string ExtractRecipe(int format)
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "FORMAT.md"));
        var section = doc[doc.IndexOf("## Manual recovery", StringComparison.Ordinal)..];
        if (format == 2)
        {
            section = section[section.IndexOf("### Format 2 snapshots", StringComparison.Ordinal)..];
        }

        var block = ShellBlock().Match(section);
        Assert.True(block.Success, $"FORMAT.md has no sh block for format {format} under 'Manual recovery'");
        return block.Groups[1].Value.Replace("ls \"$STORE/metadata/\"", "true", StringComparison.Ordinal);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vaultik.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("cannot find the repository root above the test binaries");
    }

    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
