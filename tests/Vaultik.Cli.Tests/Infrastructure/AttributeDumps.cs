using System.Diagnostics;

namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>
/// The extended attributes, ACLs and capabilities of a tree as the standard tools print them
/// (<c>getfattr</c>, <c>getfacl</c>, <c>getcap</c>), with the root's path removed and the records sorted, so a
/// source tree and its restored copy give the same text exactly when they carry the same attributes.
/// </summary>
public static class AttributeDumps
{
    /// <summary><c>getfattr -R -h -d -m - --absolute-names -e hex</c> (every namespace, symlinks themselves), one record per file, sorted.</summary>
    public static string Xattrs(string root) => Records(Run("getfattr", "-R", "-h", "-d", "-m", "-", "--absolute-names", "-e", "hex", root), root, "# file: ");

    /// <summary><c>getfacl -R -P</c> (not following symlinks), one record per file, sorted.</summary>
    public static string Acls(string root) => Records(Run("getfacl", "-R", "-P", "--absolute-names", root), root, "# file: ");

    /// <summary><c>getcap -r</c>, one line per file, sorted.</summary>
    public static string Capabilities(string root) =>
        string.Join('\n', Run("getcap", "-r", root).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Relative(l, root)).Order(StringComparer.Ordinal));

    /// <summary>Runs a tool and returns its stdout; a tool that fails or is missing fails the test loudly.</summary>
    public static string Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
        return stdout.Result;
    }

    private static string Records(string dump, string root, string marker)
    {
        var records = dump.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.Trim('\n'))
            .Where(r => r.Length > 0)
            .Select(r => string.Join('\n', r.Split('\n').Select(l => l.StartsWith(marker, StringComparison.Ordinal) ? Relative(l, root) : l)))
            .Order(StringComparer.Ordinal);
        return string.Join("\n\n", records);
    }

    private static string Relative(string line, string root) => line.Replace(root.TrimEnd('/'), "<root>", StringComparison.Ordinal);
}
