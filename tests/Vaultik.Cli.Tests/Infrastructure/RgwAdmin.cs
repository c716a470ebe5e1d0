using System.Diagnostics;
using Vaultik.Tests.Shared;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// User and bucket management on the Ceph RGW test server through <c>radosgw-admin -c $S3TEST_DIR/ceph.conf</c>
/// (tests/s3-test-server.sh exports S3TEST_DIR; its default directory is tried when it is unset). Tests that
/// need several users with different rights skip when S3 or radosgw-admin is unavailable.
/// </summary>
public static class RgwAdmin
{
    private static string ConfPath => Path.Combine(
        Environment.GetEnvironmentVariable("S3TEST_DIR") is { Length: > 0 } d ? d : "/tmp/vaultik-s3test", "ceph.conf");

    public static string? SkipReason =>
        S3Fixture.SkipReason
        ?? (Executable() is null ? "radosgw-admin is not installed: the role tests need a Ceph RGW (tests/s3-test-server.sh)" : null)
        ?? (File.Exists(ConfPath) ? null : $"{ConfPath} does not exist: set S3TEST_DIR to the directory of tests/s3-test-server.sh");

    public static async Task<RgwUser> CreateUserAsync(string role)
    {
        var suffix = Guid.NewGuid().ToString("N");
        var user = new RgwUser($"vaultik-{role}-{suffix[..8]}", ("VK" + suffix.ToUpperInvariant())[..20], "sk" + suffix + suffix[..6]);
        await RunAsync("user", "create", $"--uid={user.Uid}", $"--display-name={user.Uid}",
            $"--access-key={user.AccessKey}", $"--secret-key={user.SecretKey}");
        return user;
    }

    /// <summary>Removes the user and whatever it still owns.</summary>
    public static Task RemoveUserAsync(RgwUser user) => RunAsync("user", "rm", $"--uid={user.Uid}", "--purge-data");

    /// <summary>
    /// Removes a bucket and every version in it, Object Lock retention or not (an admin operation). A bucket the
    /// test never got to create is not an error here: the test's own failure says why.
    /// </summary>
    public static async Task RemoveBucketIfPresentAsync(string bucket)
    {
        if (await RunAsync(false, "bucket", "stats", $"--bucket={bucket}") == 0)
        {
            await RunAsync("bucket", "rm", $"--bucket={bucket}", "--purge-objects", "--bypass-gc");
        }
    }

    /// <summary>docs/policies/rgw-bucket-policy.json with its placeholders filled in.</summary>
    public static string BucketPolicy(string bucket, RgwUser backup, RgwUser restore)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vaultik.sln")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("no Vaultik.sln above the test binaries"), "docs", "policies", "rgw-bucket-policy.json");
        return File.ReadAllText(path)
            .Replace("BACKUP_USER", backup.Uid, StringComparison.Ordinal)
            .Replace("RESTORE_USER", restore.Uid, StringComparison.Ordinal)
            .Replace("BUCKET", bucket, StringComparison.Ordinal);
    }

    private static string? Executable() =>
        new[] { "/usr/bin/radosgw-admin", "/usr/local/bin/radosgw-admin" }.FirstOrDefault(File.Exists);

    private static Task RunAsync(params string[] args) => RunAsync(true, args);

    private static async Task<int> RunAsync(bool mustSucceed, params string[] args)
    {
        var info = new ProcessStartInfo(Executable() ?? "radosgw-admin") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ConfPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start radosgw-admin");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await stdout;
        Assert.True(!mustSucceed || process.ExitCode == 0, $"radosgw-admin {string.Join(' ', args)}: exit {process.ExitCode}\n{await stderr}");
        return process.ExitCode;
    }
}
