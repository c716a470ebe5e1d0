using System.Diagnostics;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Hooks of configured snapshots through the real CLI, observed by the lines they append to a log in the
/// sandbox: each hook writes its kind and the VAULTIK_* variables it was given.
/// </summary>
public sealed class HookTests
{
    private const string Fields = "\"$VAULTIK_HOOK\" \"$VAULTIK_SNAPSHOT_NAME\" \"$VAULTIK_SNAPSHOT_ID\" \"$VAULTIK_EXIT_CODE\" \"$VAULTIK_FILES_SCANNED\" \"$VAULTIK_FILES_NEW\" \"$VAULTIK_BYTES_ADDED\" \"$VAULTIK_ERROR\"";

    private static string Log(Sandbox box) => box.Dir.Combine("hooks.log");

    /// <summary>A YAML single-quoted scalar holding <paramref name="command"/>.</summary>
    private static string Q(string command) => "'" + command.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A hook command that appends its kind and environment to the log, one '|'-separated line.</summary>
    private static string Logged(Sandbox box, string then = "") => Q($"printf '%s|%s|%s|%s|%s|%s|%s|%s\\n' {Fields} >> {Log(box)}{then}");

    /// <summary>A sandbox with a two-file source and one configured snapshot s1 with the hooks <paramref name="hooks"/> writes.</summary>
    private static async Task<Sandbox> BoxAsync(Func<Sandbox, string> hooks, string extra = "", string more = "")
    {
        var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "alpha");
        File.WriteAllText(Path.Combine(box.Source, "b.txt"), "beta");
        File.AppendAllText(box.ConfigPath, $"\n{extra}snapshots:\n  s1:\n    paths: ['{box.Source}']\n    hooks:\n{hooks(box)}{more}");
        return box;
    }

    private static string[][] Lines(Sandbox box) =>
        File.Exists(Log(box)) ? File.ReadAllLines(Log(box)).Select(l => l.Split('|')).ToArray() : [];

    private static async Task<JsonElement> ListAsync(Sandbox box) =>
        JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;

    [Fact]
    public async Task Before_and_after_run_in_order_with_the_documented_environment()
    {
        using var box = await BoxAsync(b => $"      before: [{Logged(b)}, 'echo from-before; echo to-stderr >&2']\n      after: [{Logged(b)}]\n      on_failure: [{Logged(b)}]\n");
        var run = await box.RunOkAsync(0, "snapshot", "create", "--json");
        var created = JsonDocument.Parse(run.StdOut).RootElement[0];

        var lines = Lines(box);
        Assert.Equal(["before", "after"], lines.Select(l => l[0]));
        var (before, after) = (lines[0], lines[1]);
        Assert.Equal(["before", "s1", "", "", "0", "0", "0", ""], before);
        Assert.Equal("s1", after[1]);
        Assert.Equal(created.GetProperty("id").GetString(), after[2]);
        Assert.Equal("0", after[3]);
        Assert.Equal("2", after[4]);
        Assert.Equal("2", after[5]);
        Assert.Equal(created.GetProperty("bytes_new").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), after[6]);
        Assert.Equal("9", after[6]);
        Assert.Equal("", after[7]);
        Assert.Contains("vaultik: hook before: from-before", run.StdErr);
        Assert.Contains("vaultik: hook before: to-stderr", run.StdErr);
        Assert.Equal(1, (await ListAsync(box)).GetArrayLength());
    }

    [Fact]
    public async Task A_failing_before_hook_skips_its_snapshot_with_exit_1_runs_on_failure_and_the_next_snapshot_still_runs()
    {
        using var box = await BoxAsync(
            b => $"      before: ['exit 7', {Logged(b)}]\n      after: [{Logged(b)}]\n      on_failure: [{Logged(b)}]\n",
            more: $"  s2:\n    paths: ['{Path.Combine("/", "tmp")}']\n    exclude: ['*']\n");
        var run = await box.RunOkAsync(1, "snapshot", "create");

        Assert.Contains("vaultik: error: cannot run before hook 'exit 7': exit code 7; snapshot s1 skipped", run.StdErr);
        var lines = Lines(box);
        var failure = Assert.Single(lines);
        Assert.Equal("on_failure", failure[0]);
        Assert.Equal("s1", failure[1]);
        Assert.Equal("1", failure[3]);
        Assert.Equal("cannot run before hook 'exit 7': exit code 7; snapshot s1 skipped", failure[7]);
        var listed = await ListAsync(box);
        Assert.Equal(["s2"], listed.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_hook_past_hook_timeout_is_killed_with_its_child_and_reported()
    {
        using var box = await BoxAsync(
            b => $"      before: [{Q($"sleep 60 & echo $! > {b.Dir.Combine("child.pid")}; wait; echo survived >> {b.Dir.Combine("survived")}")}]\n      on_failure: [{Logged(b)}]\n",
            extra: "hook_timeout: 1s\n");
        var clock = Stopwatch.StartNew();
        var run = await box.RunOkAsync(1, "snapshot", "create");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("': killed after 1s (hook_timeout); snapshot s1 skipped", run.StdErr);
        var child = int.Parse(File.ReadAllText(box.Dir.Combine("child.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(IsRunning(child), $"the hook's child {child} still runs");
        Assert.False(File.Exists(box.Dir.Combine("survived")));
        Assert.Equal("on_failure", Assert.Single(Lines(box))[0]);
        Assert.Equal(0, (await ListAsync(box)).GetArrayLength());
    }

    [Fact]
    public async Task A_failing_after_hook_makes_the_run_exit_1_and_the_snapshot_stays()
    {
        using var box = await BoxAsync(b => $"      after: ['exit 3', {Logged(b)}]\n      on_failure: [{Logged(b)}]\n");
        var run = await box.RunOkAsync(1, "snapshot", "create");

        var listed = await ListAsync(box);
        var id = Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString();
        Assert.Contains($"vaultik: error: cannot run after hook 'exit 3': exit code 3; snapshot {id} was made and is kept", run.StdErr);
        Assert.Empty(Lines(box));
        var target = box.Dir.Combine("r");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Equal("alpha", File.ReadAllText(Sandbox.Restored(target, Path.Combine(box.Source, "a.txt"))));
    }

    [Fact]
    public async Task On_failure_runs_when_the_snapshot_itself_fails_with_its_exit_code_and_error()
    {
        using var box = await BoxAsync(b => $"      before: [{Logged(b)}]\n      after: [{Logged(b)}]\n      on_failure: [{Logged(b)}]\n");
        box.Cli.Environment["VAULTIK_FAULT_KEYS"] = "blobs/";
        box.Cli.Environment["VAULTIK_FAULT_CRASH_AFTER"] = "0";
        var run = await box.RunOkAsync(1, "snapshot", "create");

        var lines = Lines(box);
        Assert.Equal(["before", "on_failure"], lines.Select(l => l[0]));
        Assert.Equal("1", lines[1][3]);
        Assert.NotEqual("", lines[1][7]);
        Assert.Contains(lines[1][7], run.StdErr);
    }

    [Theory]
    [InlineData("      bogus: ['true']\n", "unknown key 'snapshots.s1.hooks.bogus'")]
    [InlineData("      before: ['']\n", "a hook command must not be empty")]
    [InlineData("      before: {x: 1}\n", "snapshots.s1.hooks.before")]
    public async Task A_bad_hooks_section_is_a_usage_error(string hooks, string message)
    {
        using var box = await BoxAsync(_ => hooks);
        var run = await box.RunOkAsync(2, "snapshot", "create");
        Assert.Contains(message, run.StdErr);
    }

    [Theory]
    [InlineData("hook_timeout: 0s\n", "hook_timeout")]
    [InlineData("hook_timeout: soon\n", "hook_timeout")]
    public async Task A_bad_hook_timeout_is_a_usage_error(string extra, string message)
    {
        using var box = await BoxAsync(b => $"      before: [{Logged(b)}]\n", extra);
        var run = await box.RunOkAsync(2, "snapshot", "create");
        Assert.Contains(message, run.StdErr);
        Assert.Empty(Lines(box));
    }

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        var text = File.ReadAllText(stat);
        return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
    }
}
