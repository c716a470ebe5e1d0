using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Stream backups on a local store: <c>--stdin</c> from the process's standard input, a 200 MiB stream in
/// bounded memory, a config job with <c>command:</c>, and every usage error (exit 2, one line, nothing written).
/// </summary>
public sealed class StdinCliTests
{
    [Fact]
    public async Task Stdin_from_the_process_is_stored_as_one_file_and_fetched_back()
    {
        using var box = await Sandbox.CreateAsync();
        var data = new byte[3_500_000];
        new Random(17).NextBytes(data);
        var result = await box.Cli.RunWithInputAsync(["snapshot", "create", "--stdin", "--stdin-filename", "mydb.sql", "--name", "pg"], async stdin =>
        {
            // In pieces, as a producer writes them.
            for (var offset = 0; offset < data.Length; offset += 65536)
            {
                await stdin.WriteAsync(data.AsMemory(offset, Math.Min(65536, data.Length - offset)));
            }
        });
        Assert.True(result.ExitCode == 0, result.ToString());

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal("pg", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());
        var output = box.Dir.Combine("out.sql");
        await box.RunOkAsync(0, "fetch", "latest", "mydb.sql", "--name", "pg", "--output", output, "--identity", box.IdentityPath);
        Assert.Equal(data, File.ReadAllBytes(output));

        // restore puts it at TARGET/NAME.
        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", box.IdentityPath);
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(target, "mydb.sql")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(target, "mydb.sql")));
    }

    [Fact]
    public async Task Empty_stdin_is_an_empty_file_named_stdin_in_a_snapshot_named_stdin()
    {
        using var box = await Sandbox.CreateAsync();
        var result = await box.Cli.RunWithInputAsync(["snapshot", "create", "--stdin", "--json"], _ => Task.CompletedTask);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("stdin", JsonDocument.Parse(result.StdOut).RootElement[0].GetProperty("name").GetString());
        var fetched = await box.RunOkAsync(0, "fetch", "latest", "stdin", "--name", "stdin", "--identity", box.IdentityPath);
        Assert.Equal(string.Empty, fetched.StdOut);
    }

    [Fact]
    public async Task A_200_MiB_stream_is_backed_up_with_peak_memory_well_below_its_size()
    {
        using var box = await Sandbox.CreateAsync();
        var generator = StdinFixtures.SeededStream(200L << 20, "vaultik-200");
        var (result, peak) = await box.Cli.RunMeasuredAsync("snapshot", "create", "--stdin-filename", "big.bin", "--stdin-from-command", "--", "/bin/sh", "-c", generator);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(peak < 150L << 20, $"peak RSS {peak >> 20} MiB for a 200 MiB stream");

        var output = box.Dir.Combine("big.out");
        await box.RunOkAsync(0, "fetch", "latest", "big.bin", "--output", output, "--identity", box.IdentityPath);
        Assert.Equal(200L << 20, new FileInfo(output).Length);
        Assert.Equal(await StdinFixtures.Sha256OfAsync(generator), StdinFixtures.Sha256OfFile(output));
    }

    [Fact]
    public async Task A_config_job_with_command_backs_up_its_output()
    {
        using var box = await Sandbox.CreateAsync();
        var db = box.Dir.Combine("app.db");
        var expected = await StdinFixtures.MakeDatabaseAsync(db);
        File.AppendAllText(box.ConfigPath, $"""

            snapshots:
              appdb:
                command: [sqlite3, "{db}", .dump]
                stdin_filename: app.sql
              failing:
                command: [/bin/sh, -c, "echo partial; exit 7"]
            """);
        await box.RunOkAsync(0, "snapshot", "create", "--name", "appdb");
        var output = box.Dir.Combine("app.sql");
        await box.RunOkAsync(0, "fetch", "latest", "app.sql", "--name", "appdb", "--output", output, "--identity", box.IdentityPath);
        Assert.Equal(expected, File.ReadAllBytes(output));

        var failed = await box.RunOkAsync(1, "snapshot", "create", "--name", "failing");
        Assert.Contains("cannot back up the output of command '/bin/sh': it exited with code 7", failed.StdErr, StringComparison.Ordinal);
        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal("appdb", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("command: pg_dump", "snapshots.db.command: must be a list of arguments")]
    [InlineData("command: []", "snapshots.db.command: needs at least the program to run")]
    [InlineData("command: [echo]\n    paths: [/tmp]", "give either 'paths' or 'command', not both")]
    [InlineData("command: [echo]\n    exclude: [x]", "snapshots.db.exclude: a 'command' job stores one stream")]
    [InlineData("paths: [/tmp]\n    stdin_filename: x", "snapshots.db.stdin_filename: needs a 'command'")]
    [InlineData("command: [echo]\n    stdin_filename: /abs.sql", "snapshots.db.stdin_filename: cannot use stdin_filename '/abs.sql': it must be relative")]
    [InlineData("command: [echo]\n    stdin_filename: a/../b", "it has a '..' component")]
    [InlineData("command: [echo]\n    stdin_filename: \"a\\0b\"", "cannot use stdin_filename 'a\\0b': it contains NUL")]
    public async Task Config_errors_in_a_command_job_exit_2_naming_the_line(string job, string message)
    {
        using var box = await Sandbox.CreateAsync();
        var lines = File.ReadAllLines(box.ConfigPath).Length;
        File.AppendAllText(box.ConfigPath, $"\nsnapshots:\n  db:\n    {job}\n");
        var result = await box.RunOkAsync(2, "snapshot", "create");
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line, StringComparison.Ordinal);
        // The job's body starts 4 lines below the old end ("", "snapshots:", "  db:", first key): its first or second key.
        Assert.Matches($@"config\.yml:({lines + 4}|{lines + 5}): ", line);
    }

    [Theory]
    [InlineData("cannot use --stdin with --stdin-from-command", "--stdin", "--stdin-from-command", "--", "echo")]
    [InlineData("cannot use PATH arguments with --stdin", "--stdin", "{src}")]
    [InlineData("cannot use PATH arguments with --stdin-from-command", "--stdin-from-command", "{src}", "--", "echo")]
    [InlineData("give the command after '--'", "--stdin-from-command")]
    [InlineData("give the command after '--'", "--stdin-from-command", "--")]
    [InlineData("cannot use --stdin-filename without --stdin", "--stdin-filename", "x", "{src}")]
    [InlineData("cannot use --stdin-filename '': it is empty", "--stdin", "--stdin-filename", "")]
    [InlineData("cannot use --stdin-filename '/etc/x': it must be relative", "--stdin", "--stdin-filename", "/etc/x")]
    [InlineData("cannot use --stdin-filename '../x': it has a '..' component", "--stdin", "--stdin-filename", "../x")]
    [InlineData("cannot use --stdin-filename 'a//b': it has an empty component", "--stdin", "--stdin-filename", "a//b")]
    [InlineData("cannot use --exclude with --stdin", "--stdin", "--exclude", "*.tmp")]
    [InlineData("cannot use --exclude-caches with --stdin", "--stdin", "--exclude-caches")]
    [InlineData("cannot use --exclude-larger-than with --stdin-from-command", "--stdin-from-command", "--exclude-larger-than", "1MiB", "--", "echo")]
    [InlineData("cannot use --files-from with --stdin", "--stdin", "--files-from", "/etc/hostname")]
    [InlineData("cannot use snapshot name 'a b'", "--stdin", "--name", "a b")]
    public async Task Usage_errors_exit_2_with_one_line_and_write_nothing(string message, params string[] args)
    {
        using var box = await Sandbox.CreateAsync();
        var marker = box.Dir.Combine("ran");
        var result = await box.RunOkAsync(2, ["snapshot", "create", .. args.Select(a => a.Replace("{src}", box.Source, StringComparison.Ordinal)).Select(a => a == "echo" ? "/bin/sh" : a),
            .. args.Contains("echo") ? new[] { "-c", $"touch {marker}" } : []]);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the command ran although the command line was refused");
        Assert.False(Directory.Exists(Path.Combine(box.StorePath, "metadata")) && Directory.EnumerateFileSystemEntries(Path.Combine(box.StorePath, "metadata")).Any());
    }

    [Fact]
    public async Task The_issue_order_with_stdin_filename_after_the_command_works_and_a_missing_program_exits_1()
    {
        using var box = await Sandbox.CreateAsync();
        await box.RunOkAsync(0, "snapshot", "create", "--stdin-from-command", "--", "printf", "a b c", "--stdin-filename", "letters.txt");
        var fetched = await box.RunOkAsync(0, "fetch", "latest", "letters.txt", "--identity", box.IdentityPath);
        Assert.Equal("a b c", fetched.StdOut);

        var missing = await box.RunOkAsync(1, "snapshot", "create", "--stdin-from-command", "--", "/nonexistent/dump-tool");
        Assert.StartsWith("vaultik: error: cannot run command '/nonexistent/dump-tool':", missing.StdErr, StringComparison.Ordinal);
        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal(1, list.GetArrayLength());
    }
}
