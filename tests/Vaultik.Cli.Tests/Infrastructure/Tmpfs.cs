using System.Diagnostics;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// A small tmpfs mounted by the test (it runs as root) at a directory it creates, unmounted on dispose: a file
/// system that can be filled up, for disk-full tests. Mounting fails the test loudly where it is not allowed.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private bool _mounted;

    public Tmpfs(string mountPoint, long sizeBytes)
    {
        MountPoint = mountPoint;
        Directory.CreateDirectory(mountPoint);
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeBytes},mode=0700", "tmpfs", mountPoint);
        _mounted = true;
    }

    public string MountPoint { get; }

    public string Filler => Path.Combine(MountPoint, "filler");

    public string Combine(params string[] parts) => Path.Combine([MountPoint, .. parts]);

    /// <summary>Bytes still free for files (statvfs f_bavail).</summary>
    public long Available => new DriveInfo(MountPoint).AvailableFreeSpace;

    /// <summary>Takes all free space but <paramref name="leaveBytes"/> with one preallocated filler file.</summary>
    public void Fill(long leaveBytes)
    {
        var size = Available - leaveBytes;
        Assert.True(size > 0, $"{MountPoint} has only {Available} bytes free");
        Run("fallocate", "-l", size.ToString(System.Globalization.CultureInfo.InvariantCulture), Filler);
        Assert.InRange(Available, 0, leaveBytes);
    }

    /// <summary>Frees the filler's space.</summary>
    public void Free() => File.Delete(Filler);

    /// <summary>Changes the size limit in place (what is stored stays).</summary>
    public void Resize(long sizeBytes) => Run("mount", "-o", $"remount,size={sizeBytes}", MountPoint);

    public void Dispose()
    {
        if (_mounted)
        {
            _mounted = false;
            Run("umount", "-l", MountPoint);
        }
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed (exit {process.ExitCode}): {error}");
    }
}
