using System.Text.Json;
using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>
/// Hybrid post-quantum recipients (mlkem768x25519, <c>age1pq1…</c>) end to end: <c>keygen --pq</c>,
/// <c>init</c> with that recipient or <c>init --pq</c>, snapshot, restore byte-exact with the PQ identity, and
/// an unrelated identity (X25519 or another PQ one) refused with the documented error, exit 1.
/// </summary>
public sealed class PqRecipientTests
{
    private const string NoMatch = "the identity does not match any recipient of this snapshot";

    private static async Task<string> KeygenPqAsync(Sandbox box, string path)
    {
        var keygen = await box.RunOkAsync(0, "keygen", "--pq", "-o", path);
        var publicKey = keygen.StdOut.Trim();
        Assert.StartsWith("age1pq1", publicKey, StringComparison.Ordinal);
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", lines[0]);
        Assert.Equal($"# public key: {publicKey}", lines[1]);
        Assert.StartsWith("AGE-SECRET-KEY-PQ-1", lines[2], StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        return publicKey;
    }

    [Fact]
    public async Task Keygen_pq_writes_an_age_keygen_style_file_and_prints_to_stdout_without_o()
    {
        using var box = await Sandbox.CreateAsync();
        await KeygenPqAsync(box, box.Dir.Combine("pq.txt"));

        var toStdout = await box.RunOkAsync(0, "keygen", "--pq");
        var lines = toStdout.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("# public key: age1pq1", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("AGE-SECRET-KEY-PQ-1", lines[2], StringComparison.Ordinal);
        Assert.Contains($"Public key: {lines[1]["# public key: ".Length..]}", toStdout.StdErr);

        var json = JsonDocument.Parse((await box.RunOkAsync(0, "keygen", "--pq", "-o", box.Dir.Combine("pq2.txt"), "--json")).StdOut).RootElement;
        Assert.StartsWith("age1pq1", json.GetProperty("public_key").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_encrypted_to_a_pq_recipient_restores_only_with_its_identity()
    {
        using var box = await Sandbox.CreateAsync();
        var pqKey = box.Dir.Combine("pq.txt");
        var publicKey = await KeygenPqAsync(box, pqKey);
        await box.RunOkAsync(0, "init", "--storage", box.StorageUrl, "--recipient", publicKey, "--force");
        Assert.Contains(publicKey, File.ReadAllText(box.ConfigPath));
        TestTree.Build(box.Source, largeFileBytes: 3 << 20, smallFiles: 40);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", pqKey);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));

        var otherPq = box.Dir.Combine("other-pq.txt");
        await KeygenPqAsync(box, otherPq);
        foreach (var unrelated in new[] { box.IdentityPath, otherPq })
        {
            var refused = await box.RunOkAsync(1, "restore", "latest", box.Dir.Combine($"refused-{Path.GetFileNameWithoutExtension(unrelated)}"), "--identity", unrelated);
            Assert.Contains(NoMatch, refused.StdErr);
        }
    }

    [Fact]
    public async Task Moving_a_store_to_pq_keeps_old_snapshots_on_the_old_recipient()
    {
        using var box = await Sandbox.CreateAsync();
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "before");
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", "old");

        var pqKey = box.Dir.Combine("pq.txt");
        var publicKey = await KeygenPqAsync(box, pqKey);
        await box.RunOkAsync(0, "init", "--storage", box.StorageUrl, "--recipient", publicKey, "--force");
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "after");
        await box.RunOkAsync(0, "snapshot", "create", box.Source, "--name", "new");

        var list = JsonDocument.Parse((await box.RunOkAsync(0, "snapshot", "list", "--json")).StdOut).RootElement;
        var oldId = list[0].GetProperty("id").GetString()!;
        var newId = list[1].GetProperty("id").GetString()!;

        await box.RunOkAsync(0, "restore", newId, box.Dir.Combine("new-pq"), "--identity", pqKey);
        Assert.Equal("after", File.ReadAllText(Sandbox.Restored(box.Dir.Combine("new-pq"), Path.Combine(box.Source, "a.txt"))));
        Assert.Contains(NoMatch, (await box.RunOkAsync(1, "restore", newId, box.Dir.Combine("new-old"), "--identity", box.IdentityPath)).StdErr);

        await box.RunOkAsync(0, "restore", oldId, box.Dir.Combine("old-old"), "--identity", box.IdentityPath);
        Assert.Equal("before", File.ReadAllText(Sandbox.Restored(box.Dir.Combine("old-old"), Path.Combine(box.Source, "a.txt"))));
        Assert.Contains(NoMatch, (await box.RunOkAsync(1, "restore", oldId, box.Dir.Combine("old-pq"), "--identity", pqKey)).StdErr);
    }

    [Fact]
    public async Task After_a_change_to_pq_the_next_snapshot_stores_everything_again_and_needs_the_pq_identity_alone()
    {
        using var box = await Sandbox.CreateAsync();
        TestTree.Build(box.Source, largeFileBytes: 2 << 20, smallFiles: 20);
        await box.RunOkAsync(0, "snapshot", "create", box.Source);

        var pqKey = box.Dir.Combine("pq.txt");
        var publicKey = await KeygenPqAsync(box, pqKey);
        await box.RunOkAsync(0, "init", "--storage", box.StorageUrl, "--recipient", publicKey, "--force");
        var changed = await box.RunOkAsync(0, "snapshot", "create", box.Source, "--json");
        Assert.Contains("the recipients changed", changed.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(changed.StdOut).RootElement[0].GetProperty("chunks_deduplicated").GetInt64());

        var target = box.Dir.Combine("restored");
        await box.RunOkAsync(0, "restore", "latest", target, "--identity", pqKey);
        Assert.Empty(TreeComparer.Compare(box.Source, Sandbox.Restored(target, box.Source)));

        // Nothing of the new snapshot is readable with the old X25519 identity: it shares no blob with the old one.
        await box.RunOkAsync(1, "restore", "latest", box.Dir.Combine("old-key"), "--identity", box.IdentityPath);
        var unchanged = await box.RunOkAsync(0, "snapshot", "create", box.Source, "--json");
        Assert.DoesNotContain("the recipients changed", unchanged.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task X25519_and_pq_recipients_are_never_mixed_in_one_store()
    {
        using var box = await Sandbox.CreateAsync();
        var pqKey = box.Dir.Combine("pq.txt");
        var publicKey = await KeygenPqAsync(box, pqKey);
        var before = File.ReadAllText(box.ConfigPath);

        var init = await box.RunOkAsync(2, "init", "--storage", box.StorageUrl, "--recipient", box.PublicKey, "--recipient", publicKey, "--force");
        Assert.Contains("cannot use these --recipient keys together: post-quantum (age1pq1…) and classic (age1…) recipients cannot be mixed", init.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(box.ConfigPath));

        File.WriteAllText(box.ConfigPath, before.Replace(box.PublicKey, box.PublicKey + "\n  - " + publicKey, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(box.Source, "a.txt"), "both");
        var create = await box.RunOkAsync(2, "snapshot", "create", box.Source);
        Assert.Contains("age_recipients: post-quantum (age1pq1…) and classic (age1…) recipients cannot be mixed", create.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(box.StorePath, "metadata")) && Directory.EnumerateFileSystemEntries(Path.Combine(box.StorePath, "metadata")).Any());
    }

    [Fact]
    public async Task Init_pq_generates_a_pq_identity_and_encrypts_to_it()
    {
        using var dir = new TempDir();
        var cli = new CliRunner(dir.Combine("home"));
        var config = dir.Combine("config.yml");
        cli.Environment["VAULTIK_CONFIG"] = config;
        cli.Environment["VAULTIK_INDEX_PATH"] = dir.Combine("index.sqlite");
        var init = await cli.RunAsync("init", "--pq", "--storage", "file://" + dir.Combine("store"));
        Assert.True(init.ExitCode == 0, init.ToString());
        var identity = Path.Combine(cli.Home, ".config", "vaultik", "identity.txt");
        var lines = File.ReadAllLines(identity);
        Assert.StartsWith("# public key: age1pq1", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("AGE-SECRET-KEY-PQ-1", lines[2], StringComparison.Ordinal);
        Assert.Contains(lines[1]["# public key: ".Length..], File.ReadAllText(config));
        Assert.Contains("post-quantum identity (PRIVATE KEY)", init.StdErr);

        var source = dir.Combine("src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "pq");
        var create = await cli.RunAsync("snapshot", "create", source);
        Assert.True(create.ExitCode == 0, create.ToString());
        var target = dir.Combine("restored");
        var restore = await cli.RunAsync("restore", "latest", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal("pq", File.ReadAllText(Sandbox.Restored(target, Path.Combine(source, "a.txt"))));
    }

    [Fact]
    public async Task Init_pq_refuses_recipients_and_an_existing_x25519_default_identity()
    {
        using var box = await Sandbox.CreateAsync();
        var both = await box.RunOkAsync(2, "init", "--pq", "--recipient", box.PublicKey, "--force");
        Assert.Contains("cannot use --pq with --recipient", both.StdErr);

        using var dir = new TempDir();
        var cli = new CliRunner(dir.Combine("home"));
        cli.Environment["VAULTIK_CONFIG"] = dir.Combine("config.yml");
        var first = await cli.RunAsync("init", "--storage", "file://" + dir.Combine("store"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var again = await cli.RunAsync("init", "--pq", "--force", "--storage", "file://" + dir.Combine("store"));
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("is an X25519 key", again.StdErr);
    }

    [Fact]
    public async Task A_damaged_pq_recipient_in_the_config_is_a_configuration_error_and_a_pq_secret_is_never_echoed()
    {
        using var box = await Sandbox.CreateAsync();
        var publicKey = await KeygenPqAsync(box, box.Dir.Combine("pq.txt"));
        var damaged = publicKey[..^1] + (publicKey[^1] == 'q' ? 'p' : 'q');
        var bad = await box.RunOkAsync(2, "init", "--storage", box.StorageUrl, "--recipient", damaged, "--force");
        Assert.Contains("cannot use --recipient #1", bad.StdErr);
        Assert.Contains("not a valid age post-quantum public key", bad.StdErr);

        var secret = File.ReadAllLines(box.Dir.Combine("pq.txt"))[2];
        var leaked = await box.RunOkAsync(2, "init", "--storage", box.StorageUrl, "--recipient", secret, "--force");
        Assert.Contains("it is a private key", leaked.StdErr);
        Assert.DoesNotContain(secret[20..44], leaked.StdErr + leaked.StdOut, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_first_run_with_pq_sets_up_a_pq_identity_and_pq_is_refused_once_a_config_exists()
    {
        using var dir = new TempDir();
        var cli = new CliRunner(dir.Combine("home"));
        var source = dir.Combine("Documents");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "letter.txt"), "dear quantum-safe backup");

        var first = await cli.RunAsync("snapshot", "create", source, "--pq");
        Assert.True(first.ExitCode == 0, first.ToString());
        var identity = Path.Combine(cli.Home, ".config", "vaultik", "identity.txt");
        Assert.Contains(File.ReadAllLines(identity), l => l.StartsWith("AGE-SECRET-KEY-PQ-1", StringComparison.Ordinal));
        Assert.Contains("age_recipients:\n  - age1pq1", File.ReadAllText(Path.Combine(cli.Home, ".config", "vaultik", "config.yml")).ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var target = dir.Combine("restore");
        var restore = await cli.RunAsync("restore", "latest", target);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal("dear quantum-safe backup", File.ReadAllText(Sandbox.Restored(target, Path.Combine(source, "letter.txt"))));

        var again = await cli.RunAsync("snapshot", "create", source, "--pq");
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("cannot use --pq: the config", again.StdErr, StringComparison.Ordinal);
    }
}
