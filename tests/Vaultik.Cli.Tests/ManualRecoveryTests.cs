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
    public async Task The_recipe_in_FORMAT_md_recovers_a_multi_chunk_file_with_age_zstd_and_sqlite3()
    {
        using var box = await Sandbox.CreateAsync();
        var notes = Path.Combine(box.Source, "notes.txt");
        TestTree.WriteLargeFile(notes, 6L << 20, seed: 3);
        File.WriteAllText(Path.Combine(box.Source, "other.txt"), "other");
        await box.RunOkAsync(0, "snapshot", "create", box.Source);
        var id = Directory.GetDirectories(Path.Combine(box.StorePath, "metadata")).Select(Path.GetFileName).Single()!;

        var recipe = ExtractRecipe();
        var script = $"""
            set -euo pipefail
            STORE='{box.StorePath}'
            ID='{id}'
            cd '{box.Dir.Path}'
            {recipe.Replace("P='home/me/notes.txt'", $"P='{notes.TrimStart('/')}'", StringComparison.Ordinal)}
            """;
        var run = Run("bash", "-c", script);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(File.ReadAllBytes(notes), File.ReadAllBytes(box.Dir.Combine("notes.txt")));
    }

    private static string ExtractRecipe()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "FORMAT.md"));
        var section = doc[doc.IndexOf("## Manual recovery", StringComparison.Ordinal)..];
        var block = ShellBlock().Match(section);
        Assert.True(block.Success, "FORMAT.md has no sh block under 'Manual recovery'");
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
