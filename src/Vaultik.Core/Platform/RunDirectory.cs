using System.Globalization;

namespace Vaultik.Core.Platform;

/// <summary>
/// A run's private scratch directory for decrypted metadata: <c>&lt;base&gt;/&lt;verb&gt;-&lt;pid&gt;-&lt;start&gt;</c>, created 0700
/// under one per-user base (<see cref="BaseDirectory"/>, 0700), removed on <see cref="Dispose"/> (normal exit,
/// errors, SIGINT/SIGTERM). A run killed with SIGKILL leaves its directory behind; every later run removes the
/// directories of processes that are gone (no such pid, or the pid now belongs to a process started later).
/// </summary>
public sealed class RunDirectory : IDisposable
{
    private RunDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>
    /// <c>$XDG_RUNTIME_DIR/vaultik</c> (a per-user tmpfs on systemd hosts: never on disk, emptied at logout) when
    /// set, else <c>$XDG_CACHE_HOME/vaultik/tmp</c> (default <c>~/.cache/vaultik/tmp</c>).
    /// </summary>
    public static string BaseDirectory()
    {
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && System.IO.Path.IsPathRooted(runtime) && Directory.Exists(runtime))
        {
            return System.IO.Path.Combine(runtime, "vaultik");
        }

        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathRooted(xdg)
            ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return System.IO.Path.Combine(cache, "vaultik", "tmp");
    }

    /// <summary>Removes what dead runs left, then creates this run's directory for <paramref name="verb"/>.</summary>
    public static RunDirectory Create(string verb, Action<string> warn)
    {
        var root = BaseDirectory();
        RefuseUntrustedAncestors(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(root))!, root, links: 0);
        PrivateFiles.CreateDirectory(root);
        var status = Posix.Lstat(RawName.EscapeText(root));
        if (!status.IsDirectory || status.Uid != Posix.EffectiveUid)
        {
            throw new VaultikException($"cannot use temporary directory {root}: it is not a directory owned by this user");
        }

        if ((status.Mode & 0x3F) != 0)
        {
            throw new VaultikException($"cannot use temporary directory {root}: others can reach it (mode {Convert.ToString(status.Mode, 8)}); make it 0700");
        }

        RemoveStale(root, warn);
        var path = System.IO.Path.Combine(root, $"{verb}-{Environment.ProcessId}-{StartTime(Environment.ProcessId)}");
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        PrivateFiles.CreateDirectory(path);
        return new RunDirectory(path);
    }

    /// <summary>
    /// Refuses a base below a directory that someone other than root or this user could change (own it, or
    /// write to it without the sticky bit): they could swap the base for a symlink between the checks and the
    /// writes, e.g. when root runs with another user's HOME or XDG_* variables (sudo -E). Symlinks on the way
    /// are followed and their targets' ancestors checked too.
    /// </summary>
    private static void RefuseUntrustedAncestors(string directory, string root, int links)
    {
        var prefix = "/";
        foreach (var part in directory.Split('/', StringSplitOptions.RemoveEmptyEntries).Prepend(string.Empty))
        {
            prefix = part.Length == 0 ? prefix : System.IO.Path.Combine(prefix, part);
            if (!Posix.TryLstat(RawName.EscapeText(prefix), out var status, out _))
            {
                return; // created below, by this process, 0700
            }

            if (status.Uid != 0 && status.Uid != Posix.EffectiveUid)
            {
                throw new VaultikException($"cannot use temporary directory {root}: {prefix} belongs to uid {status.Uid}, who could redirect it (set XDG_RUNTIME_DIR or XDG_CACHE_HOME to a directory of this user's)");
            }

            if (status.IsSymlink)
            {
                var target = new DirectoryInfo(prefix).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                if (target is null || links > 32)
                {
                    throw new VaultikException($"cannot use temporary directory {root}: {prefix} is a symlink that does not resolve");
                }

                RefuseUntrustedAncestors(target, root, links + 1);
            }
            else if ((status.Mode & 0x12) != 0 && (status.Mode & 0x200) == 0)
            {
                throw new VaultikException($"cannot use temporary directory {root}: others may write to {prefix} (mode {Convert.ToString(status.Mode, 8)})");
            }
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    private static void RemoveStale(string root, Action<string> warn)
    {
        foreach (var entry in Directory.EnumerateDirectories(root))
        {
            var parts = System.IO.Path.GetFileName(entry).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (StartTime(pid) == parts[^1])
            {
                continue;
            }

            try
            {
                Directory.Delete(entry, recursive: true);
                warn($"removed {entry}, left behind by an interrupted run");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                warn($"cannot remove {entry}: {ex.Message}");
            }
        }
    }

    /// <summary>The process's start time in clock ticks since boot (/proc/PID/stat field 22), or "gone".</summary>
    private static string StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "gone";
        }

        // The command name (field 2) is in parentheses and may contain spaces: count fields after its ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 ? fields[19] : "gone";
    }
}
