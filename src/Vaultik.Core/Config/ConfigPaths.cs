namespace Vaultik.Core.Config;

/// <summary>Where Vaultik keeps things by default (XDG base directories).</summary>
public static class ConfigPaths
{
    public static string Home => Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home
        ? home
        : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    public static string ConfigDirectory => Path.Combine(Xdg("XDG_CONFIG_HOME", ".config"), "vaultik");

    public static string DataDirectory => Path.Combine(Xdg("XDG_DATA_HOME", Path.Combine(".local", "share")), "vaultik");

    /// <summary><c>$VAULTIK_CONFIG</c>, else <c>$XDG_CONFIG_HOME/vaultik/config.yml</c>.</summary>
    public static string ConfigFile() =>
        Environment.GetEnvironmentVariable("VAULTIK_CONFIG") is { Length: > 0 } explicitPath
            ? Path.GetFullPath(Expand(explicitPath))
            : Path.Combine(ConfigDirectory, "config.yml");

    public static string DefaultIdentityFile() => Path.Combine(ConfigDirectory, "identity.txt");

    public static string DefaultStorageUrl() => "file://" + Path.Combine(DataDirectory, "store");

    public static string DefaultIndexPath() => Path.Combine(DataDirectory, "index.sqlite");

    /// <summary>Expands a leading <c>~</c> and <c>$HOME</c>.</summary>
    public static string Expand(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Home + path[1..];
        }

        return path.Replace("$HOME", Home, StringComparison.Ordinal).Replace("${HOME}", Home, StringComparison.Ordinal);
    }

    private static string Xdg(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } dir && Path.IsPathRooted(dir) ? dir : Path.Combine(Home, fallback);
}
