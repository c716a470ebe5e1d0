using System.Diagnostics;
using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Stream backups through the real CLI on every kind of store: a real <c>sqlite3 .dump</c> through
/// <c>--stdin-from-command</c> fetched back byte-exact, and a failing command leaving no snapshot behind.
/// </summary>
public abstract class StdinBackupTests : StoreScenarioTests
{
    [SkippableFact]
    public async Task A_sqlite3_dump_from_a_command_is_fetched_back_byte_exact()
    {
        using var box = await BoxAsync();
        var db = box.Dir.Combine("app.db");
        var expected = await StdinFixtures.MakeDatabaseAsync(db);

        var created = await box.RunOkAsync(0, "snapshot", "create", "--json", "--stdin-filename", "dumps/app.sql", "--name", "pg",
            "--stdin-from-command", "--", "sqlite3", db, ".dump");
        var summary = JsonDocument.Parse(created.StdOut).RootElement[0];
        Assert.Equal("pg", summary.GetProperty("name").GetString());
        Assert.Equal(expected.LongLength, summary.GetProperty("bytes_read").GetInt64());

        var fetched = box.Dir.Combine("fetched.sql");
        await box.RunOkAsync(0, "fetch", "latest", "dumps/app.sql", "--name", "pg", "--output", fetched, "--identity", box.IdentityPath);
        Assert.Equal(expected, File.ReadAllBytes(fetched));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fetched));
        Assert.InRange(File.GetLastWriteTimeUtc(fetched), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));

        var stdout = await box.Cli.RunAsync("fetch", "latest", "dumps/app.sql", "--identity", box.IdentityPath);
        Assert.True(stdout.ExitCode == 0, stdout.ToString());
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), stdout.StdOut);
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
    }

    [SkippableFact]
    public async Task A_command_exiting_3_fails_the_snapshot_with_exit_1_and_writes_no_manifest()
    {
        using var box = await BoxAsync();
        var result = await box.RunOkAsync(1, "snapshot", "create", "--stdin-filename", "x.sql", "--stdin-from-command", "--",
            "sh", "-c", "head -c 3000000 /dev/urandom; echo 'dump failed half way' >&2; exit 3");
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("dump failed half way", lines);
        Assert.Single(lines, l => l.StartsWith("vaultik: error:", StringComparison.Ordinal));
        Assert.Contains("vaultik: error: cannot back up the output of command 'sh': it exited with code 3", lines);

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        Assert.Equal(0, list.GetArrayLength());
        Assert.Empty(await Store.ListAsync(box, "metadata/"));
        Assert.DoesNotContain(await Store.ListAsync(box, ""), o => o.Key.EndsWith("manifest.json.zst", StringComparison.Ordinal));

        // Nothing half-done: the next run works and verifies.
        await box.RunOkAsync(0, "snapshot", "create", "--stdin-from-command", "--", "echo", "ok");
        await box.RunOkAsync(0, "verify", "--deep", "--identity", box.IdentityPath);
    }
}
