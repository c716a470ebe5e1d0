using System.Diagnostics;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// A running <c>vaultik mount</c>: started as a child process, waited for until its mountpoint shows in
/// /proc/self/mountinfo (as a fuse.vaultik filesystem). Disposing it unmounts (fusermount3 -u -z) if it is
/// still mounted and kills a process still running, so a failed test leaves no mount behind.
/// </summary>
public sealed class MountedVaultik : IDisposable
{
    private readonly Task<string> _stderr;

    private MountedVaultik(Process process, string mountpoint)
    {
        Process = process;
        Mountpoint = mountpoint;
        _stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
    }

    public Process Process { get; }

    public string Mountpoint { get; }

    public static async Task<MountedVaultik> StartAsync(CliRunner cli, string mountpoint, params string[] extra)
    {
        Directory.CreateDirectory(mountpoint);
        var mounted = new MountedVaultik(cli.Start(["mount", mountpoint, .. extra]), mountpoint);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!IsMounted(mountpoint))
        {
            if (mounted.Process.HasExited || DateTime.UtcNow > deadline)
            {
                var stderr = mounted.Process.HasExited ? await mounted._stderr : "(still running)";
                mounted.Dispose();
                throw new InvalidOperationException($"vaultik mount did not mount {mountpoint}: {stderr}");
            }

            await Task.Delay(100);
        }

        return mounted;
    }

    /// <summary>True while a fuse.vaultik filesystem is mounted at <paramref name="mountpoint"/>.</summary>
    public static bool IsMounted(string mountpoint) =>
        File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Any(f => f.Length > 8 && f[4] == mountpoint && f.Contains("fuse.vaultik"));

    /// <summary>Waits for the process to end; returns its exit code and stderr.</summary>
    public async Task<(int ExitCode, string StdErr)> WaitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Process.WaitForExitAsync(timeout.Token);
        return (Process.ExitCode, await _stderr);
    }

    public static void Run(string file, params string[] args)
    {
        using var p = System.Diagnostics.Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {stderr}");
    }

    /// <summary>`stat --format` of <paramref name="path"/> (not following a symlink).</summary>
    public static string Stat(string path, string format)
    {
        using var p = System.Diagnostics.Process.Start(new ProcessStartInfo("stat", ["--format", format, path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"stat {path}: {stderr}");
        return output;
    }

    public void Dispose()
    {
        if (IsMounted(Mountpoint))
        {
            using var p = System.Diagnostics.Process.Start(new ProcessStartInfo("fusermount3", ["-u", "-z", Mountpoint]) { RedirectStandardError = true })!;
            p.WaitForExit();
        }

        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }
}
