using System.Text.Json;
using Amazon.S3.Model;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// The three-role setup of docs/SECURITY.md on the Ceph RGW test server: a maintenance user (the bucket's owner,
/// which creates the bucket with <c>vaultik store create-bucket</c>), a backup user and a restore user restricted by
/// docs/policies/rgw-bucket-policy.json, and one vaultik "machine" per role, each with its own HOME, config and index.
/// Only the backup config has the public key; only the restore machine gets the identity file.
/// </summary>
public sealed class HardenedStore : IAsyncDisposable
{
    public const string Prefix = "vk/";
    public const string Hostname = "hardened";
    public static readonly TimeSpan Retention = TimeSpan.FromSeconds(15);

    private HardenedStore(TempDir dir, RgwUser maintenance, RgwUser backup, RgwUser restore)
    {
        Dir = dir;
        MaintenanceUser = maintenance;
        BackupUser = backup;
        RestoreUser = restore;
        Directory.CreateDirectory(Source);
    }

    public TempDir Dir { get; }

    public string Bucket { get; } = S3Fixture.NewBucketName();

    public RgwUser MaintenanceUser { get; }

    public RgwUser BackupUser { get; }

    public RgwUser RestoreUser { get; }

    public CliRunner Backup { get; private set; } = null!;

    public CliRunner Maintenance { get; private set; } = null!;

    public CliRunner Restore { get; private set; } = null!;

    public string IdentityPath => Dir.Combine("restore-machine-key.txt");

    public string Source => Dir.Combine("src");

    public static async Task<HardenedStore> CreateAsync()
    {
        var store = new HardenedStore(new TempDir(), await RgwAdmin.CreateUserAsync("maint"), await RgwAdmin.CreateUserAsync("backup"), await RgwAdmin.CreateUserAsync("restore"));
        var keygen = await new CliRunner(store.Dir.Combine("keygen")).RunAsync("keygen", "-o", store.IdentityPath);
        Assert.True(keygen.ExitCode == 0, keygen.ToString());
        var recipient = keygen.StdOut.Trim();
        var objectLock = $"  object_lock: {{mode: governance, retention: {(int)Retention.TotalSeconds}s}}\n";
        var common = $"age_recipients: [{recipient}]\nstorage_url: s3://{store.Bucket}/{Prefix.TrimEnd('/')}\nhostname: {Hostname}\n";
        store.Backup = store.Machine("backup", common + store.BackupUser.S3Section(objectLock)
            + $"backup_interval: 1s\nmin_time_between_run: 1s\nfull_scan_interval: 1h\nsnapshots:\n  home:\n    paths: ['{store.Source}']\n");
        store.Maintenance = store.Machine("maintenance", common + store.MaintenanceUser.S3Section(objectLock));
        store.Restore = store.Machine("restore", common + store.RestoreUser.S3Section());
        return store;
    }

    /// <summary>The maintenance machine creates the bucket with Object Lock, checks it, and applies the RGW policy file as its owner.</summary>
    public async Task CreateBucketAndApplyPolicyAsync()
    {
        await RunOkAsync(Maintenance, 0, "store", "create-bucket");
        await RunOkAsync(Maintenance, 0, "store", "check-bucket");
        using var owner = MaintenanceUser.Client();
        await owner.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = Bucket, Policy = RgwAdmin.BucketPolicy(Bucket, BackupUser, RestoreUser) });
    }

    public static async Task<CliResult> RunOkAsync(CliRunner machine, int expectedExit, params string[] args)
    {
        var result = await machine.RunAsync(args);
        Assert.True(result.ExitCode == expectedExit, $"vaultik {string.Join(' ', args)} on {machine.Home}: expected exit {expectedExit}\n{result}");
        return result;
    }

    /// <summary>Snapshot ids the given machine lists (complete snapshots), oldest first.</summary>
    public static async Task<List<JsonElement>> ListAsync(CliRunner machine)
    {
        var list = await RunOkAsync(machine, 0, "snapshot", "list", "--json");
        return JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public static async Task<List<string>> IdsAsync(CliRunner machine) =>
        (await ListAsync(machine)).Select(e => e.GetProperty("id").GetString()!).ToList();

    /// <summary>Copies the source tree as it is now (modes and times kept), to compare a later restore with.</summary>
    public async Task<string> KeepCopyOfSourceAsync(string name)
    {
        var copy = Dir.Combine("expected-" + name);
        using var cp = System.Diagnostics.Process.Start("cp", ["-a", Source, copy])!;
        await cp.WaitForExitAsync();
        Assert.Equal(0, cp.ExitCode);
        return copy;
    }

    /// <summary>Restores a snapshot on the restore machine and compares it byte for byte with the kept copy.</summary>
    public async Task<CliResult> AssertRestoresExactlyAsync(string id, string expected)
    {
        var target = Dir.Combine("restored-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await RunOkAsync(Restore, 0, "restore", id, target, "--identity", IdentityPath, "--no-owner");
        var differences = TreeComparer.Compare(expected, Sandbox.Restored(target, Source));
        Assert.True(differences.Count == 0, $"snapshot {id} restored differently:\n{string.Join('\n', differences)}\n{result}");
        return result;
    }

    /// <summary>Waits until Object Lock retention of everything written so far has lapsed (so only Vaultik's own rules protect it).</summary>
    public static async Task WaitForRetentionToLapseAsync(DateTimeOffset lastWrite)
    {
        var lapse = lastWrite + Retention + TimeSpan.FromSeconds(2) - DateTimeOffset.UtcNow;
        if (lapse > TimeSpan.Zero)
        {
            await Task.Delay(lapse);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RgwAdmin.RemoveBucketIfPresentAsync(Bucket);
        foreach (var user in new[] { BackupUser, RestoreUser, MaintenanceUser })
        {
            await RgwAdmin.RemoveUserAsync(user);
        }

        Dir.Dispose();
    }

    private CliRunner Machine(string role, string config)
    {
        var runner = new CliRunner(Dir.Combine(role));
        var path = Dir.Combine(role + ".yml");
        File.WriteAllText(path, config);
        runner.Environment["VAULTIK_CONFIG"] = path;
        runner.Environment["VAULTIK_INDEX_PATH"] = Dir.Combine(role + "-index.sqlite");
        foreach (var name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE" })
        {
            runner.Environment[name] = null;
        }

        return runner;
    }
}
