using System.CommandLine;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Vaultik.Cli.Tests.Infrastructure;
using Vaultik.Core.Metadata;

namespace Vaultik.Cli.Tests;

/// <summary>
/// `vaultik --version`, `vaultik completion bash|zsh|fish` and `vaultik man`, through the real CLI, checked against
/// the command tree walked here independently: every command and every option it accepts must be offered by the
/// shells' own completion machinery and documented in a man page that groff renders without a warning.
/// </summary>
public sealed class CompletionAndManTests
{
    /// <summary>Each command path ("vaultik snapshot create") with its subcommand names and every option name it accepts.</summary>
    private static List<(string Path, List<string> Subcommands, List<string> Options)> Tree()
    {
        var found = new List<(string, List<string>, List<string>)>();
        void Walk(Command command, string path, List<Option> inherited)
        {
            var options = command.Options.Concat(inherited).Where(o => !o.Hidden).ToList();
            var names = options.SelectMany(o => o.Aliases.Append(o.Name)).Where(n => n.StartsWith('-')).Distinct().ToList();
            var subcommands = command.Subcommands.Where(c => !c.Hidden).ToList();
            found.Add((path, subcommands.Select(c => c.Name).ToList(), names));
            foreach (var sub in subcommands)
            {
                Walk(sub, path + " " + sub.Name, inherited.Concat(command.Options.Where(o => o.Recursive)).ToList());
            }
        }

        Walk(VaultikApp.BuildRoot(TextWriter.Null, TextWriter.Null), "vaultik", []);
        return found;
    }

    [Fact]
    public async Task Version_prints_the_version_the_commit_and_the_store_formats_of_the_core()
    {
        using var box = await Sandbox.CreateAsync();
        var result = await box.RunOkAsync(0, "--version");
        var reads = SnapshotManifest.OldestReadableFormatVersion == SnapshotManifest.CurrentFormatVersion
            ? $"{SnapshotManifest.CurrentFormatVersion}"
            : $"{SnapshotManifest.OldestReadableFormatVersion}-{SnapshotManifest.CurrentFormatVersion}";
        var match = Regex.Match(result.StdOut, @"^vaultik (\d+\.\d+\.\d+\S*) \(commit ([0-9a-f]{7}|unknown)\) store format (\d+) \(reads (\S+)\)\n$");
        Assert.True(match.Success, result.StdOut);
        Assert.Equal($"{SnapshotManifest.CurrentFormatVersion}", match.Groups[3].Value);
        Assert.Equal(reads, match.Groups[4].Value);
        var informational = typeof(VaultikApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        var expectedCommit = informational.Contains('+') ? informational.Split('+')[1][..7] : "unknown";
        Assert.Equal(expectedCommit, match.Groups[2].Value);
    }

    [Fact]
    public async Task Bash_completion_passes_bash_n_and_offers_every_command_and_option_of_the_tree()
    {
        using var box = await Sandbox.CreateAsync();
        var script = box.Dir.Combine("vaultik.bash");
        File.WriteAllText(script, (await box.RunOkAsync(0, "completion", "bash")).StdOut);
        Assert.Equal(0, (await Run("bash", "-n", script)).ExitCode);

        // Ask bash itself, as a user pressing TAB would: after each command path, once for words and once for "-".
        var probe = new System.Text.StringBuilder($". '{script}'\n");
        probe.Append("ask() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _vaultik; echo \"$* => ${COMPREPLY[*]}\"; }\n");
        foreach (var (path, _, _) in Tree())
        {
            probe.Append($"ask {path} ''\nask {path} -\n");
        }

        var answers = (await Run("bash", "-c", probe.ToString())).StdOut.Split('\n').Where(l => l.Length > 0).ToList();
        foreach (var (path, subcommands, options) in Tree())
        {
            var words = Offered(answers, path + "  => ");
            Assert.All(subcommands, s => Assert.Contains(s, words));
            var dashes = Offered(answers, path + " - => ");
            Assert.All(options, o => Assert.True(dashes.Contains(o), $"bash offers no {o} after '{path}'"));
        }
    }

    [SkippableFact]
    public async Task Fish_completion_passes_fish_n_and_offers_every_command_and_option_of_the_tree()
    {
        Skip.If(!OnPath("fish"), "fish is not installed (apt-get install fish)");
        using var box = await Sandbox.CreateAsync();
        var script = box.Dir.Combine("vaultik.fish");
        File.WriteAllText(script, (await box.RunOkAsync(0, "completion", "fish")).StdOut);
        Assert.Equal(0, (await Run("fish", "-n", script)).ExitCode);
        var probe = new System.Text.StringBuilder($"source '{script}'\n");
        foreach (var (path, _, _) in Tree())
        {
            probe.Append($"for c in (complete -C '{path} '); echo '{path} => '$c; end\n");
            probe.Append($"for c in (complete -C '{path} -'); echo '{path} - => '$c; end\n");
        }

        var answers = (await Run("fish", "-c", probe.ToString())).StdOut.Split('\n').Select(l => l.Split('\t')[0]).ToList();
        foreach (var (path, subcommands, options) in Tree())
        {
            var words = answers.Where(a => a.StartsWith(path + " => ", StringComparison.Ordinal)).Select(a => a[(path.Length + 4)..]).ToHashSet();
            Assert.All(subcommands, s => Assert.True(words.Contains(s), $"fish offers no {s} after '{path}'"));
            var dashes = answers.Where(a => a.StartsWith(path + " - => ", StringComparison.Ordinal)).Select(a => a[(path.Length + 6)..]).ToHashSet();
            Assert.All(options.Where(o => o.StartsWith("--", StringComparison.Ordinal)), o => Assert.True(dashes.Contains(o), $"fish offers no {o} after '{path}'"));
        }
    }

    [SkippableFact]
    public async Task Zsh_completion_passes_zsh_n_and_names_every_command_and_option_of_the_tree()
    {
        Skip.If(!OnPath("zsh"), "zsh is not installed (apt-get install zsh)");
        using var box = await Sandbox.CreateAsync();
        var text = (await box.RunOkAsync(0, "completion", "zsh")).StdOut;
        var script = box.Dir.Combine("_vaultik");
        File.WriteAllText(script, text);
        Assert.Equal(0, (await Run("zsh", "-n", script)).ExitCode);
        Assert.StartsWith("#compdef vaultik\n", text);
        foreach (var (path, subcommands, options) in Tree())
        {
            var function = "_" + path.Replace("-", "_").Replace(" ", "__") + "() {";
            var body = text[text.IndexOf(function, StringComparison.Ordinal)..];
            body = body[..body.IndexOf("\n}\n", StringComparison.Ordinal)];
            Assert.All(subcommands, s => Assert.Contains($"'{s}:", body));
            Assert.All(options, o => Assert.Contains($"'{o}", body));
        }
    }

    [Fact]
    public async Task Man_writes_one_page_per_command_with_every_option_and_groff_renders_them_without_warnings()
    {
        using var box = await Sandbox.CreateAsync();
        var dir = box.Dir.Combine("man1");
        await box.RunOkAsync(0, "man", "--output", dir);
        var tree = Tree();
        Assert.Equal(tree.Count, Directory.GetFiles(dir).Length);
        foreach (var (path, subcommands, options) in tree)
        {
            var page = File.ReadAllText(Path.Combine(dir, path.Replace(' ', '-') + ".1"));
            Assert.StartsWith($".TH {path.Replace(' ', '-').ToUpperInvariant().Replace("-", "\\-")} 1 ", page);
            Assert.All(options, o => Assert.Contains("\\fB" + o.Replace("-", "\\-") + "\\fR", page));
            Assert.All(subcommands, s => Assert.Contains($".B {path.Replace("-", "\\-")} {s.Replace("-", "\\-")}\n", page));
            if (OnPath("groff"))
            {
                var rendered = await Run("groff", "-man", "-Tutf8", "-ww", Path.Combine(dir, path.Replace(' ', '-') + ".1"));
                Assert.Equal(0, rendered.ExitCode);
                Assert.Equal(string.Empty, rendered.StdErr);
                Assert.Contains(path.Split(' ')[^1], rendered.StdOut);
            }
        }
    }

    [Fact]
    public async Task An_unknown_shell_or_a_missing_man_output_is_a_usage_error()
    {
        using var box = await Sandbox.CreateAsync();
        var tcsh = await box.RunOkAsync(2, "completion", "tcsh");
        Assert.Contains("vaultik: cannot write a completion script for 'tcsh': the shells are bash, zsh and fish", tcsh.StdErr);
        Assert.Equal(string.Empty, tcsh.StdOut);
        var man = await box.RunOkAsync(2, "man");
        Assert.Contains("--output", man.StdErr);
    }

    private static HashSet<string> Offered(List<string> answers, string prefix)
    {
        var line = answers.Single(a => a.StartsWith(prefix, StringComparison.Ordinal));
        return line[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, program)));

    private static async Task<CliResult> Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "vaultik-test-noconfig");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
